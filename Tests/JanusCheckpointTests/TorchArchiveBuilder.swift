import JanusTensor

/// Builds `torch.save` files in the tests: a state-dict pickle whose tensors are
/// `_rebuild_tensor_v2` calls on persistent storages, zipped with the storages.
struct TorchArchiveBuilder {
    struct TensorSpec {
        var name: String
        var storageType: String
        var storageKey: String
        var storageElements: Int
        var storageOffset = 0
        var shape: [Int]
        /// nil: row-major strides.
        var strides: [Int]? = nil
    }

    var archiveName = "archive"
    var style: PickleWriter.Style = .protocol2
    /// Top level as `OrderedDict` with a `_metadata` BUILD, as `model.state_dict()` pickles.
    var orderedDict = false
    /// Wrap each tensor in `_rebuild_parameter`, as pickling `nn.Parameter`s does.
    var asParameters = false
    /// `_rebuild_tensor_v2` with the optional 7th (metadata) argument.
    var withTensorMetadata = false
    var byteOrder: String? = "little"
    var tensors: [TensorSpec] = []
    var storages: [(key: String, data: [UInt8])] = []

    static func storageType(for dtype: DType) -> String {
        switch dtype {
        case .f32: "FloatStorage"
        case .f16: "HalfStorage"
        case .bf16: "BFloat16Storage"
        case .i64: "LongStorage"
        case .i32: "IntStorage"
        case .i8: "CharStorage"
        case .u8: "ByteStorage"
        }
    }

    /// One storage per tensor, holding exactly the tensor's bytes.
    init(_ named: [(name: String, tensor: Tensor)] = []) {
        for (index, (name, tensor)) in named.enumerated() {
            let key = String(index)
            tensors.append(TensorSpec(name: name, storageType: Self.storageType(for: tensor.dtype), storageKey: key,
                                      storageElements: tensor.elementCount, shape: tensor.shape))
            storages.append((key, Array(tensor.rawBytes)))
        }
    }

    func pickle() -> [UInt8] {
        var writer = PickleWriter(style: style)
        if orderedDict {
            writer.emptyOrderedDict()
        } else {
            writer.opcode("}")
        }
        writer.memoize()
        writer.opcode("(")
        for spec in tensors {
            writer.string(spec.name)
            if asParameters {
                writer.global("torch._utils", "_rebuild_parameter")
                writer.tuple([{ $0.pushTensor(spec, metadata: withTensorMetadata) }, { $0.bool(false) },
                              { $0.emptyOrderedDict() }])
                writer.opcode("R")
            } else {
                writer.pushTensor(spec, metadata: withTensorMetadata)
            }
        }
        writer.opcode("u")
        if orderedDict {
            // state = {"_metadata": OrderedDict()}, applied with BUILD after the items.
            writer.opcode("}")
            writer.string("_metadata")
            writer.emptyOrderedDict()
            writer.opcode("s")
            writer.opcode("b")
        }
        return writer.finished()
    }

    /// The archive entries, in torch's order.
    func entries(pickle: [UInt8]? = nil) -> [(name: String, data: [UInt8])] {
        var entries: [(name: String, data: [UInt8])] = [("\(archiveName)/data.pkl", pickle ?? self.pickle())]
        if let byteOrder { entries.append(("\(archiveName)/byteorder", Array(byteOrder.utf8))) }
        for (key, data) in storages { entries.append(("\(archiveName)/data/\(key)", data)) }
        entries.append(("\(archiveName)/version", Array("3\n".utf8)))
        return entries
    }

    func archive(options: ZipBuilder.Options = ZipBuilder.Options()) -> [UInt8] {
        ZipBuilder.archive(entries(), options: options)
    }
}

private extension PickleWriter {
    /// `_rebuild_tensor_v2((persistent storage), offset, size, stride, False, OrderedDict()[, {}])`.
    mutating func pushTensor(_ spec: TorchArchiveBuilder.TensorSpec, metadata: Bool) {
        global("torch._utils", "_rebuild_tensor_v2")
        var strides = spec.strides ?? []
        if spec.strides == nil {
            var running = 1
            for dimension in spec.shape.reversed() {
                strides.insert(running, at: 0)
                running *= dimension
            }
        }
        var arguments: [(inout PickleWriter) -> Void] = [
            { writer in
                writer.tuple([{ $0.string("storage") }, { $0.global("torch", spec.storageType) },
                              { $0.string(spec.storageKey) }, { $0.string("cpu") }, { $0.int(spec.storageElements) }])
                writer.opcode("Q")
            },
            { $0.int(spec.storageOffset) },
            { writer in writer.tuple(spec.shape.map { dimension in { $0.int(dimension) } }) },
            { writer in writer.tuple(strides.map { stride in { $0.int(stride) } }) },
            { $0.bool(false) },
            { $0.emptyOrderedDict() },
        ]
        if metadata { arguments.append { $0.opcode("}") } }
        tuple(arguments)
        memoize()
        opcode("R")
    }
}
