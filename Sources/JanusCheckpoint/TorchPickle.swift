import JanusTensor

/// The meaning of the few globals a `torch.save` state dict uses. Everything else is
/// refused by name, which is what makes reading untrusted `.bin` files safe.
enum TorchPickleGlobal {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case rebuildParameterWithState
    /// A `torch.*Storage` class named in a storage's persistent id; `dtype` is nil for
    /// storage types Janus does not compute with (the error then names the tensor).
    case storageType(name: String, dtype: DType?)

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch", _) where name.hasSuffix("Storage"):
            // Storage classes are only ever data here (never called), so any name is safe.
            self = .storageType(name: "torch.\(name)", dtype: Self.storageDTypes[name])
        default: return nil
        }
    }

    private static let storageDTypes: [String: DType] = [
        "BFloat16Storage": .bf16, "HalfStorage": .f16, "FloatStorage": .f32,
        "LongStorage": .i64, "IntStorage": .i32, "CharStorage": .i8, "ByteStorage": .u8,
    ]

    var qualifiedName: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: "torch._utils._rebuild_parameter_with_state"
        case .storageType(let name, _): name
        }
    }
}

/// A storage named by a persistent id `('storage', type, key, location, numel)`; its
/// bytes are the archive entry `<archive>/data/<key>`.
struct TorchStorageReference {
    let typeName: String
    let dtype: DType?
    let key: String
    let elementCount: Int
}

/// The arguments of `_rebuild_tensor_v2`: a strided view of a storage.
struct TorchTensorRecord {
    let storage: TorchStorageReference
    let storageOffset: Int
    let shape: [Int]
    let strides: [Int]
}

/// Whitelisted meaning for the pickle machine.
struct TorchPickleSemantics: PickleSemantics {
    func global(module: String, name: String) throws -> PickleValue {
        guard let global = TorchPickleGlobal(module: module, name: name) else {
            throw PickleRefusal(reason: "unsupported pickle global \(module).\(name) "
                                + "(only torch state-dict globals are allowed)")
        }
        return .global(global)
    }

    func call(_ callable: PickleValue, arguments: [PickleValue]) throws -> PickleValue {
        guard case .global(let global) = callable else {
            throw PickleRefusal(reason: "cannot call \(callable.kind)")
        }
        switch global {
        case .orderedDict:
            guard arguments.isEmpty else {
                throw PickleRefusal(reason: "collections.OrderedDict called with arguments")
            }
            return .dict(PickleDict())
        case .rebuildTensorV2:
            return .tensor(try rebuildTensor(arguments))
        case .rebuildParameter, .rebuildParameterWithState:
            // (data, requires_grad, backward_hooks[, state]): the parameter is its data.
            guard let data = arguments.first, case .tensor = data,
                  arguments.count == (global == .rebuildParameter ? 3 : 4) else {
                throw PickleRefusal(reason: "\(global.qualifiedName) called with unexpected arguments")
            }
            return data
        case .storageType(let name, _):
            throw PickleRefusal(reason: "cannot call \(name)")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
    /// backward_hooks[, metadata])`.
    private func rebuildTensor(_ arguments: [PickleValue]) throws -> TorchTensorRecord {
        guard arguments.count == 6 || arguments.count == 7,
              case .storage(let storage) = arguments[0],
              case .int(let storageOffset) = arguments[1],
              let shape = integers(arguments[2]),
              let strides = integers(arguments[3]) else {
            throw PickleRefusal(reason: "torch._utils._rebuild_tensor_v2 called with unexpected arguments "
                                + "(\(arguments.map(\.kind).joined(separator: ", ")))")
        }
        return TorchTensorRecord(storage: storage, storageOffset: storageOffset, shape: shape, strides: strides)
    }

    private func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .int(let number) = item else { return nil }
            result.append(number)
        }
        return result
    }

    func build(_ object: PickleValue, state: PickleValue) throws -> PickleValue {
        switch object {
        // OrderedDict state (`_metadata`) and tensor attributes carry nothing Janus reads.
        case .dict, .tensor: return object
        default: throw PickleRefusal(reason: "cannot BUILD \(object.kind)")
        }
    }

    func persistentLoad(_ identifier: PickleValue) throws -> PickleValue {
        guard case .tuple(let fields) = identifier, fields.count == 5,
              case .string("storage") = fields[0],
              case .global(.storageType(let typeName, let dtype)) = fields[1],
              case .string(let key) = fields[2],
              case .string = fields[3],  // location, e.g. "cpu" or "cuda:0": irrelevant once on disk
              case .int(let elementCount) = fields[4], elementCount >= 0 else {
            throw PickleRefusal(reason: "unsupported persistent id (expected "
                                + "('storage', torch.<Type>Storage, key, location, numel))")
        }
        return .storage(TorchStorageReference(typeName: typeName, dtype: dtype, key: key, elementCount: elementCount))
    }
}

extension TorchPickleGlobal: Equatable {}
