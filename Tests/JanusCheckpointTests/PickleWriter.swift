/// Emits pickle opcodes for hand-made `torch.save` state dicts, in two styles: the
/// protocol 2 that `torch.save` writes (GLOBAL, BINUNICODE, BINPUT/BINGET) and a
/// protocol 4 stream (FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE) as a newer
/// pickler would write it.
struct PickleWriter {
    enum Style { case protocol2, protocol4 }

    let style: Style
    private var body = ByteBuilder()
    private var memoCount = 0
    private var memoizedGlobals: [String: Int] = [:]

    init(style: Style) { self.style = style }

    mutating func opcode(_ code: UInt8) { body.append([code]) }
    mutating func opcode(_ character: Character) { body.append([character.asciiValue!]) }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        if style == .protocol4 && utf8.count < 256 {
            opcode(0x8c)
            body.append([UInt8(utf8.count)])
        } else {
            opcode("X")
            body.append(UInt32(utf8.count))
        }
        body.append(utf8)
    }

    /// The smallest encoding, as the pickler chooses it.
    mutating func int(_ value: Int) {
        switch value {
        case 0...0xFF:
            opcode("K"); body.append([UInt8(value)])
        case 0...0xFFFF:
            opcode("M"); body.append(UInt16(value))
        case Int(Int32.min)...Int(Int32.max):
            opcode("J"); body.append(Int32(value))
        default:
            opcode(0x8a); body.append([8]); body.append(Int64(value))
        }
    }

    mutating func bool(_ value: Bool) { opcode(value ? 0x88 : 0x89) }

    /// A global, memoised on first use and fetched from the memo afterwards, as the
    /// pickler does for repeated classes.
    mutating func global(_ module: String, _ name: String) {
        let qualified = "\(module).\(name)"
        if let index = memoizedGlobals[qualified] {
            get(index)
            return
        }
        switch style {
        case .protocol2:
            opcode("c")
            body.append("\(module)\n\(name)\n")
        case .protocol4:
            string(module)
            string(name)
            opcode(0x93)
        }
        memoizedGlobals[qualified] = memoize()
    }

    @discardableResult
    mutating func memoize() -> Int {
        let index = memoCount
        memoCount += 1
        switch (style, index) {
        case (.protocol4, _): opcode(0x94)
        case (.protocol2, 0...0xFF): opcode("q"); body.append([UInt8(index)])
        case (.protocol2, _): opcode("r"); body.append(UInt32(index))
        }
        return index
    }

    mutating func get(_ index: Int) {
        if index <= 0xFF {
            opcode("h"); body.append([UInt8(index)])
        } else {
            opcode("j"); body.append(UInt32(index))
        }
    }

    /// A tuple of the values the closures push (EMPTY_TUPLE / TUPLE1-3 / MARK ... TUPLE).
    mutating func tuple(_ items: [(inout PickleWriter) -> Void]) {
        if items.isEmpty {
            opcode(")")
            return
        }
        if items.count > 3 { opcode("(") }
        for item in items { item(&self) }
        opcode(items.count > 3 ? UInt8(ascii: "t") : UInt8(0x84 + items.count))
    }

    mutating func emptyOrderedDict() {
        global("collections", "OrderedDict")
        opcode(")")
        opcode("R")
    }

    /// The complete stream: PROTO, an optional FRAME around the body, STOP.
    func finished() -> [UInt8] {
        var stream = ByteBuilder()
        var payload = body.bytes
        payload.append(UInt8(ascii: "."))
        switch style {
        case .protocol2:
            stream.append([0x80, 2])
        case .protocol4:
            stream.append([0x80, 4, 0x95])
            stream.append(UInt64(payload.count))
        }
        stream.append(payload)
        return stream.bytes
    }
}
