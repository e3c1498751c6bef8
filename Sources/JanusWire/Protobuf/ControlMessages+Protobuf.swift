import CJanusWire

extension Hello: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Hello>) {
        janus__wire__v1__hello__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Hello, arena: CArena) throws(WireError) {
        message.role = .init(rawValue: role.rawValue)
        message.name = try arena.string(name, field: "Hello.name")
        message.node = try arena.string(node, field: "Hello.node")
        message.capacity = capacity
        message.stage = try stage.map { (stage) throws(WireError) in try arena.message(stage) }
    }

    init(reading message: Janus__Wire__V1__Hello, path: String) throws(WireError) {
        self.init(role: try readEnum(message.role.rawValue, "\(path).role"),
                  name: try readString(message.name, "\(path).name"),
                  node: try readString(message.node, "\(path).node"),
                  capacity: message.capacity,
                  stage: try readOptional(message.stage, "\(path).stage"))
    }
}

extension StageInfo: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__StageInfo>) {
        janus__wire__v1__stage_info__init(message)
    }

    func write(to message: inout Janus__Wire__V1__StageInfo, arena: CArena) throws(WireError) {
        message.index = index
        message.count = count
        message.first_layer = firstLayer
        message.end_layer = endLayer
        message.data_endpoint = try arena.string(dataEndpoint, field: "StageInfo.data_endpoint")
    }

    init(reading message: Janus__Wire__V1__StageInfo, path: String) throws(WireError) {
        self.init(index: message.index, count: message.count, firstLayer: message.first_layer,
                  endLayer: message.end_layer,
                  dataEndpoint: try readString(message.data_endpoint, "\(path).data_endpoint"))
    }
}

extension Heartbeat: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Heartbeat>) {
        janus__wire__v1__heartbeat__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Heartbeat, arena: CArena) throws(WireError) {
        message.load = load
        message.queued = queued
    }

    init(reading message: Janus__Wire__V1__Heartbeat, path: String) throws(WireError) {
        self.init(load: message.load, queued: message.queued)
    }
}

extension ErrorReply: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Error>) {
        janus__wire__v1__error__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Error, arena: CArena) throws(WireError) {
        message.code = .init(rawValue: code.rawValue)
        message.message = try arena.string(self.message, field: "Error.message")
        message.origin = try arena.string(origin, field: "Error.origin")
    }

    init(reading message: Janus__Wire__V1__Error, path: String) throws(WireError) {
        self.init(code: try readEnum(message.code.rawValue, "\(path).code"),
                  message: try readString(message.message, "\(path).message"),
                  origin: try readString(message.origin, "\(path).origin"))
    }
}

/// Messages without fields map to their struct and back with nothing to copy.
protocol EmptyProtobufMessage: ProtobufMessage {
    init()
}

extension EmptyProtobufMessage {
    func write(to message: inout CMessage, arena: CArena) throws(WireError) {}
    init(reading message: CMessage, path: String) throws(WireError) { self.init() }
}

extension Ack: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Ack>) {
        janus__wire__v1__ack__init(message)
    }
}
