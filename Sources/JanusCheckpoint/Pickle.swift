/// A minimal, non-executing pickle virtual machine: enough of protocols 2 to 5 to read
/// the `data.pkl` of a `torch.save` state dict. It builds plain values; every global and
/// every call goes through `PickleSemantics`, which allows a fixed whitelist, so a
/// malicious pickle can at worst be refused, never run code.

/// Python values as far as a state-dict pickle needs them.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    /// Lists and dicts are shared and mutated in place (through the memo), as in Python.
    case list(PickleList)
    case dict(PickleDict)
    /// A whitelisted global (class or function), resolved by `PickleSemantics`.
    case global(TorchPickleGlobal)
    case storage(TorchStorageReference)
    case tensor(TorchTensorRecord)

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let global): "global \(global.qualifiedName)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

final class PickleList {
    var items: [PickleValue] = []
}

/// Insertion-ordered, like a Python dict; string keys replace earlier values.
final class PickleDict {
    private(set) var items: [(key: PickleValue, value: PickleValue)] = []
    private var indexByString: [String: Int] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let name) = key {
            if let index = indexByString[name] {
                items[index].value = value
                return
            }
            indexByString[name] = items.count
        }
        items.append((key, value))
    }
}

/// Why the semantics refused something; the machine adds the file and offset.
struct PickleRefusal: Error {
    let reason: String
}

/// What globals, calls, `BUILD` and persistent ids mean. Implementations refuse
/// anything they do not know by throwing `PickleRefusal`.
protocol PickleSemantics {
    func global(module: String, name: String) throws -> PickleValue
    func call(_ callable: PickleValue, arguments: [PickleValue]) throws -> PickleValue
    func build(_ object: PickleValue, state: PickleValue) throws -> PickleValue
    func persistentLoad(_ identifier: PickleValue) throws -> PickleValue
}

struct PickleMachine<Semantics: PickleSemantics> {
    private var reader: ByteReader
    private let semantics: Semantics
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Offset of the opcode being executed, for errors.
    private var opcodeOffset = 0

    private static var highestProtocol: UInt8 { 5 }

    /// Runs the pickle in `bytes` to its STOP and returns the result.
    static func unpickle(_ bytes: UnsafeRawBufferPointer, file: String, entry: String,
                         semantics: Semantics) throws -> PickleValue {
        var machine = PickleMachine(reader: ByteReader(bytes, file: file, structure: "pickle \(entry)"),
                                    semantics: semantics)
        return try machine.run()
    }

    private init(reader: ByteReader, semantics: Semantics) {
        self.reader = reader
        self.semantics = semantics
    }

    private func failure(_ reason: String) -> CheckpointError {
        reader.error("\(reason) (opcode at offset \(opcodeOffset))")
    }

    private mutating func run() throws -> PickleValue {
        while !reader.isAtEnd {
            opcodeOffset = reader.position
            let opcode = try reader.readUInt8()
            do {
                if let result = try execute(opcode) { return result }
            } catch let refusal as PickleRefusal {
                throw failure(refusal.reason)
            }
        }
        throw reader.error("ends without a STOP opcode")
    }

    /// Executes one opcode; returns the result at STOP.
    private mutating func execute(_ opcode: UInt8) throws -> PickleValue? {
        switch opcode {
        case 0x80:  // PROTO
            let version = try reader.readUInt8()
            guard version <= Self.highestProtocol else { throw failure("unsupported pickle protocol \(version)") }
        case 0x95:  // FRAME: a length hint only
            try reader.skip(8)
        case UInt8(ascii: "."):  // STOP
            return try pop()

        case UInt8(ascii: "N"): stack.append(.none)
        case 0x88: stack.append(.bool(true))  // NEWTRUE
        case 0x89: stack.append(.bool(false))  // NEWFALSE
        case UInt8(ascii: "J"): stack.append(.int(Int(try reader.readLittleEndian(Int32.self))))  // BININT
        case UInt8(ascii: "K"): stack.append(.int(Int(try reader.readUInt8())))  // BININT1
        case UInt8(ascii: "M"): stack.append(.int(Int(try reader.readLittleEndian(UInt16.self))))  // BININT2
        case 0x8a: stack.append(.int(try readLong(byteCount: Int(try reader.readUInt8()))))  // LONG1
        case 0x8b: stack.append(.int(try readLong(byteCount: try readSignedLength())))  // LONG4
        case UInt8(ascii: "G"): stack.append(.float(try reader.readBigEndianDouble()))  // BINFLOAT

        case 0x8c: stack.append(.string(try reader.readUTF8(count: Int(try reader.readUInt8()))))  // SHORT_BINUNICODE
        case UInt8(ascii: "X"): stack.append(.string(try reader.readUTF8(count: try reader.readLength(UInt32.self))))
        case 0x8d: stack.append(.string(try reader.readUTF8(count: try reader.readLength(UInt64.self))))  // BINUNICODE8
        case UInt8(ascii: "C"): stack.append(.bytes(Array(try reader.read(count: Int(try reader.readUInt8())))))
        case UInt8(ascii: "B"): stack.append(.bytes(Array(try reader.read(count: try reader.readLength(UInt32.self)))))
        case 0x8e: stack.append(.bytes(Array(try reader.read(count: try reader.readLength(UInt64.self)))))  // BINBYTES8

        case UInt8(ascii: "}"): stack.append(.dict(PickleDict()))  // EMPTY_DICT
        case UInt8(ascii: "]"): stack.append(.list(PickleList()))  // EMPTY_LIST
        case UInt8(ascii: ")"): stack.append(.tuple([]))  // EMPTY_TUPLE
        case UInt8(ascii: "("): marks.append(stack.count)  // MARK
        case UInt8(ascii: "t"): stack.append(.tuple(try popToMark()))  // TUPLE
        case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
            stack.append(.tuple(try pop(count: Int(opcode - 0x84))))

        case UInt8(ascii: "0"): _ = try pop()  // POP
        case UInt8(ascii: "1"): _ = try popToMark()  // POP_MARK
        case UInt8(ascii: "2"): stack.append(try top())  // DUP

        case UInt8(ascii: "q"): memo[Int(try reader.readUInt8())] = try top()  // BINPUT
        case UInt8(ascii: "r"): memo[try reader.readLength(UInt32.self)] = try top()  // LONG_BINPUT
        case 0x94: memo[memo.count] = try top()  // MEMOIZE
        case UInt8(ascii: "h"): stack.append(try memoized(Int(try reader.readUInt8())))  // BINGET
        case UInt8(ascii: "j"): stack.append(try memoized(try reader.readLength(UInt32.self)))  // LONG_BINGET

        case UInt8(ascii: "c"):  // GLOBAL "module\nname\n"
            let module = try readLine()
            let name = try readLine()
            stack.append(try semantics.global(module: module, name: name))
        case 0x93:  // STACK_GLOBAL
            let name = try pop()
            let module = try pop()
            guard case .string(let moduleName) = module, case .string(let globalName) = name else {
                throw failure("STACK_GLOBAL needs two strings, found \(module.kind) and \(name.kind)")
            }
            stack.append(try semantics.global(module: moduleName, name: globalName))

        case UInt8(ascii: "R"), 0x81:  // REDUCE, NEWOBJ: callable(*arguments)
            let arguments = try pop()
            let callable = try pop()
            guard case .tuple(let values) = arguments else {
                throw failure("call arguments must be a tuple, found \(arguments.kind)")
            }
            stack.append(try semantics.call(callable, arguments: values))
        case 0x92:  // NEWOBJ_EX: callable(*arguments, **keywords); only no keywords is meaningful here
            let keywords = try pop()
            let arguments = try pop()
            let callable = try pop()
            guard case .tuple(let values) = arguments, case .dict(let keywordDict) = keywords,
                  keywordDict.items.isEmpty else {
                throw failure("NEWOBJ_EX with keyword arguments is not supported")
            }
            stack.append(try semantics.call(callable, arguments: values))
        case UInt8(ascii: "b"):  // BUILD
            let state = try pop()
            let object = try pop()
            stack.append(try semantics.build(object, state: state))
        case UInt8(ascii: "Q"):  // BINPERSID
            stack.append(try semantics.persistentLoad(try pop()))

        case UInt8(ascii: "s"):  // SETITEM
            let value = try pop()
            let key = try pop()
            try dictionaryOnTop().set(key, value)
        case UInt8(ascii: "u"):  // SETITEMS
            let items = try popToMark()
            guard items.count % 2 == 0 else { throw failure("SETITEMS with an odd number of items") }
            let dictionary = try dictionaryOnTop()
            for pair in stride(from: 0, to: items.count, by: 2) { dictionary.set(items[pair], items[pair + 1]) }
        case UInt8(ascii: "a"):  // APPEND
            let value = try pop()
            try listOnTop().items.append(value)
        case UInt8(ascii: "e"):  // APPENDS
            let values = try popToMark()
            try listOnTop().items.append(contentsOf: values)

        default:
            throw failure("unsupported pickle opcode 0x\(String(opcode, radix: 16))")
        }
        return nil
    }

    // MARK: Stack helpers

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw failure("stack underflow")
        }
        return value
    }

    private mutating func pop(count: Int) throws -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0) else { throw failure("stack underflow") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw failure("no MARK on the stack") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else { throw failure("stack underflow") }
        return value
    }

    private func memoized(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw failure("memo entry \(index) is not defined") }
        return value
    }

    private func dictionaryOnTop() throws -> PickleDict {
        let value = try top()
        guard case .dict(let dictionary) = value else { throw failure("expected a dict, found \(value.kind)") }
        return dictionary
    }

    private func listOnTop() throws -> PickleList {
        let value = try top()
        guard case .list(let list) = value else { throw failure("expected a list, found \(value.kind)") }
        return list
    }

    // MARK: Operand decoding

    /// A little-endian two's-complement integer of `byteCount` bytes (LONG1 / LONG4);
    /// anything beyond 64 bits cannot be a size or offset and is refused.
    private mutating func readLong(byteCount: Int) throws -> Int {
        guard byteCount <= 8 else { throw failure("integer of \(byteCount) bytes is too large") }
        let bytes = try reader.read(count: byteCount)
        guard let last = bytes.last else { return 0 }
        var bits: UInt64 = last & 0x80 != 0 ? ~0 : 0  // sign extension
        for byte in bytes.reversed() { bits = (bits << 8) | UInt64(byte) }
        return Int(Int64(bitPattern: bits))
    }

    private mutating func readSignedLength() throws -> Int {
        let length = Int(try reader.readLittleEndian(Int32.self))
        guard length >= 0 else { throw failure("negative length \(length)") }
        return length
    }

    /// A newline-terminated ASCII/UTF-8 line (the operands of GLOBAL).
    private mutating func readLine() throws -> String {
        let start = reader.position
        guard let newline = reader.bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw failure("unterminated GLOBAL operand")
        }
        let line = try reader.readUTF8(count: newline - start)
        try reader.skip(1)
        return line
    }
}
