import JanusTensor

/// The bytes of the tensors that model parts hold, as they hold them: a bf16 weight 2 bytes
/// an element, an int8 one (`--weights int8`) 1 byte plus its bf16 block scales, an f32 copy
/// (e.g. `RMSNorm`'s widened weight) 4. A tensor reachable twice (tied weights) counts once.
///
/// The parts are walked through their stored properties (`Mirror`) instead of asking every
/// layer type for its tensors, so a layer that starts holding another tensor (a pre-packed
/// or widened weight) is counted without anyone having to remember to.
///
/// Class instances are not walked: the models reach their caches and scratch buffers (KV
/// caches, activation sets) through classes, and those are not weights.
public enum WeightFootprint {
    public static func byteCount(of parts: Any...) -> Int {
        var counter = Counter()
        for part in parts { counter.visit(part) }
        return counter.total
    }

    private struct Counter {
        var total = 0
        /// A tensor is its storage and the window into it.
        private var seen = Set<TensorWindow>()

        struct TensorWindow: Hashable {
            let storage: ObjectIdentifier
            let byteOffset: Int
            let byteCount: Int
        }

        mutating func visit(_ value: Any) {
            if let tensor = value as? Tensor {
                let window = TensorWindow(storage: ObjectIdentifier(tensor.storage), byteOffset: tensor.byteOffset,
                                          byteCount: tensor.byteCount)
                if seen.insert(window).inserted { total += tensor.byteCount }
                return
            }
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .class?:
                return
            case .collection?, .set?, .dictionary?:
                // Arrays of plain numbers (RoPE tables: a million floats) hold no tensors;
                // looking at each element would take longer than the benchmark it serves.
                guard let first = mirror.children.first, !Self.isPlainValue(first.value) else { return }
            default:
                break
            }
            for child in mirror.children { visit(child.value) }
        }

        /// A number, a string, …: no stored properties that could hold a tensor.
        private static func isPlainValue(_ value: Any) -> Bool {
            !(value is Tensor) && Mirror(reflecting: value).displayStyle == nil
        }
    }
}
