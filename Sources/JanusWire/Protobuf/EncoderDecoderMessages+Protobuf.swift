import CJanusWire

extension EncodeRequest: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__EncodeRequest>) {
        janus__wire__v1__encode_request__init(message)
    }
}

extension EncodeResult: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__EncodeResult>) {
        janus__wire__v1__encode_result__init(message)
    }
}

extension DecodeRequest: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__DecodeRequest>) {
        janus__wire__v1__decode_request__init(message)
    }

    func write(to message: inout Janus__Wire__V1__DecodeRequest, arena: CArena) throws(WireError) {
        message.grid_height = gridHeight
        message.grid_width = gridWidth
    }

    init(reading message: Janus__Wire__V1__DecodeRequest, path: String) throws(WireError) {
        self.init(gridHeight: message.grid_height, gridWidth: message.grid_width)
    }
}

extension DecodeResult: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__DecodeResult>) {
        janus__wire__v1__decode_result__init(message)
    }
}
