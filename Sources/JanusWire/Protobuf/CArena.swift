/// Owns every C allocation made while building one protobuf-c message tree (the
/// structs, their strings, repeated fields and pointer arrays) and frees them together
/// once the tree is packed: protobuf-c's `pack` only reads the tree, so nothing in it
/// needs to outlive the call, and one owner means nothing leaks when a field throws
/// halfway through.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    private init() {}

    /// Runs `body` with a fresh arena and frees everything it allocated afterwards.
    /// Pointers from the arena must not escape `body`.
    static func with<Result>(_ body: (CArena) throws(WireError) -> Result) throws(WireError) -> Result {
        let arena = CArena()
        defer { arena.freeAll() }
        return try body(arena)
    }

    private func freeAll() {
        for allocation in allocations { allocation.deallocate() }
        allocations.removeAll()
    }

    /// Uninitialised room for `count` values of a trivial C type.
    func allocate<Element>(_ type: Element.Type, count: Int = 1) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// A NUL-terminated copy of `text`. protobuf-c measures strings with `strlen`, so an
    /// embedded NUL would silently cut the string short: such strings are refused.
    func string(_ text: String, field: String) throws(WireError) -> UnsafeMutablePointer<CChar> {
        let utf8 = text.utf8
        if utf8.contains(0) {
            throw .invalidArgument("\(field) contains a NUL byte, which the wire format cannot carry")
        }
        let pointer = allocate(CChar.self, count: utf8.count + 1)
        let bytes = UnsafeMutableRawPointer(pointer).bindMemory(to: UInt8.self, capacity: utf8.count + 1)
        _ = UnsafeMutableBufferPointer(start: bytes, count: utf8.count).initialize(from: utf8)
        bytes[utf8.count] = 0
        return pointer
    }

    /// A C copy of a repeated scalar field; nil when empty, as protobuf-c expects.
    func array<Element>(_ values: [Element]) -> UnsafeMutablePointer<Element>? {
        guard !values.isEmpty else { return nil }
        let pointer = allocate(Element.self, count: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    /// `value` as a freshly initialised protobuf-c struct.
    func message<Value: ProtobufMessage>(_ value: Value) throws(WireError) -> UnsafeMutablePointer<Value.CMessage> {
        let pointer = allocate(Value.CMessage.self)
        Value.initialize(pointer)
        try value.write(to: &pointer.pointee, arena: self)
        return pointer
    }

    /// A repeated message field: an array of pointers to structs; nil when empty.
    func messages<Value: ProtobufMessage>(
        _ values: [Value]
    ) throws(WireError) -> UnsafeMutablePointer<UnsafeMutablePointer<Value.CMessage>?>? {
        guard !values.isEmpty else { return nil }
        let pointers = allocate(UnsafeMutablePointer<Value.CMessage>?.self, count: values.count)
        pointers.initialize(repeating: nil, count: values.count)
        for (index, value) in values.enumerated() { pointers[index] = try message(value) }
        return pointers
    }
}
