import CJanusWire

extension GenerateRequest: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__GenerateRequest>) {
        janus__wire__v1__generate_request__init(message)
    }

    func write(to message: inout Janus__Wire__V1__GenerateRequest, arena: CArena) throws(WireError) {
        message.prompt = try arena.string(prompt, field: "GenerateRequest.prompt")
        message.count = count
        message.cfg_weight = cfgWeight
        message.sampling = try arena.message(sampling)
        message.image_size = imageSize
        message.steps = steps
        message.default_cfg = writeBool(defaultCFG)
    }

    init(reading message: Janus__Wire__V1__GenerateRequest, path: String) throws(WireError) {
        self.init(prompt: try readString(message.prompt, "\(path).prompt"),
                  count: message.count,
                  cfgWeight: message.cfg_weight,
                  sampling: try readOptional(message.sampling, "\(path).sampling") ?? Sampling(),
                  imageSize: message.image_size,
                  steps: message.steps,
                  defaultCFG: readBool(message.default_cfg))
    }
}

extension AskRequest: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__AskRequest>) {
        janus__wire__v1__ask_request__init(message)
    }

    func write(to message: inout Janus__Wire__V1__AskRequest, arena: CArena) throws(WireError) {
        message.question = try arena.string(question, field: "AskRequest.question")
        message.max_new_tokens = maxNewTokens
        message.sampling = try arena.message(sampling)
    }

    init(reading message: Janus__Wire__V1__AskRequest, path: String) throws(WireError) {
        self.init(question: try readString(message.question, "\(path).question"),
                  maxNewTokens: message.max_new_tokens,
                  sampling: try readOptional(message.sampling, "\(path).sampling") ?? Sampling())
    }
}

extension ProgressUpdate: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Progress>) {
        janus__wire__v1__progress__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Progress, arena: CArena) throws(WireError) {
        message.phase = try arena.string(phase, field: "Progress.phase")
        message.done = done
        message.total = total
    }

    init(reading message: Janus__Wire__V1__Progress, path: String) throws(WireError) {
        self.init(phase: try readString(message.phase, "\(path).phase"), done: message.done, total: message.total)
    }
}

extension ImageResult: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__ImageResult>) {
        janus__wire__v1__image_result__init(message)
    }

    func write(to message: inout Janus__Wire__V1__ImageResult, arena: CArena) throws(WireError) {
        message.index = index
    }

    init(reading message: Janus__Wire__V1__ImageResult, path: String) throws(WireError) {
        self.init(index: message.index)
    }
}

extension TextDelta: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__TextDelta>) {
        janus__wire__v1__text_delta__init(message)
    }

    func write(to message: inout Janus__Wire__V1__TextDelta, arena: CArena) throws(WireError) {
        message.text = try arena.string(text, field: "TextDelta.text")
    }

    init(reading message: Janus__Wire__V1__TextDelta, path: String) throws(WireError) {
        self.init(text: try readString(message.text, "\(path).text"))
    }
}

extension Done: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Done>) {
        janus__wire__v1__done__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Done, arena: CArena) throws(WireError) {
        message.text = try arena.string(text, field: "Done.text")
        message.n_token_ids = tokenIDs.count
        message.token_ids = arena.array(tokenIDs)
        message.stop_reason = try arena.string(stopReason, field: "Done.stop_reason")
        message.prompt_tokens = promptTokens
    }

    init(reading message: Janus__Wire__V1__Done, path: String) throws(WireError) {
        self.init(text: try readString(message.text, "\(path).text"),
                  tokenIDs: readScalars(message.n_token_ids, message.token_ids),
                  stopReason: try readString(message.stop_reason, "\(path).stop_reason"),
                  promptTokens: message.prompt_tokens)
    }
}

extension StatusRequest: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__StatusRequest>) {
        janus__wire__v1__status_request__init(message)
    }
}

extension ProcessStatus: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__ProcessStatus>) {
        janus__wire__v1__process_status__init(message)
    }

    func write(to message: inout Janus__Wire__V1__ProcessStatus, arena: CArena) throws(WireError) {
        message.name = try arena.string(name, field: "ProcessStatus.name")
        message.role = .init(rawValue: role.rawValue)
        message.node = try arena.string(node, field: "ProcessStatus.node")
        message.healthy = writeBool(healthy)
        message.draining = writeBool(draining)
        message.load = load
        message.last_seen_ms_ago = lastSeenMillisecondsAgo
    }

    init(reading message: Janus__Wire__V1__ProcessStatus, path: String) throws(WireError) {
        self.init(name: try readString(message.name, "\(path).name"),
                  role: try readEnum(message.role.rawValue, "\(path).role"),
                  node: try readString(message.node, "\(path).node"),
                  healthy: readBool(message.healthy),
                  draining: readBool(message.draining),
                  load: message.load,
                  lastSeenMillisecondsAgo: message.last_seen_ms_ago)
    }
}

extension ClassStatus: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__ClassStatus>) {
        janus__wire__v1__class_status__init(message)
    }

    func write(to message: inout Janus__Wire__V1__ClassStatus, arena: CArena) throws(WireError) {
        message.name = try arena.string(name, field: "ClassStatus.name")
        message.queued = queued
        message.in_flight = inFlight
        message.completed = completed
        message.failed = failed
        message.p50_ms = p50Milliseconds
        message.p90_ms = p90Milliseconds
        message.p99_ms = p99Milliseconds
    }

    init(reading message: Janus__Wire__V1__ClassStatus, path: String) throws(WireError) {
        self.init(name: try readString(message.name, "\(path).name"),
                  queued: message.queued, inFlight: message.in_flight,
                  completed: message.completed, failed: message.failed,
                  p50Milliseconds: message.p50_ms, p90Milliseconds: message.p90_ms,
                  p99Milliseconds: message.p99_ms)
    }
}

extension StatusReply: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__StatusReply>) {
        janus__wire__v1__status_reply__init(message)
    }

    func write(to message: inout Janus__Wire__V1__StatusReply, arena: CArena) throws(WireError) {
        message.n_processes = processes.count
        message.processes = try arena.messages(processes)
        message.n_classes = classes.count
        message.classes = try arena.messages(classes)
    }

    init(reading message: Janus__Wire__V1__StatusReply, path: String) throws(WireError) {
        self.init(processes: try readMessages(message.n_processes, message.processes, "\(path).processes"),
                  classes: try readMessages(message.n_classes, message.classes, "\(path).classes"))
    }
}

extension DrainRequest: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__DrainRequest>) {
        janus__wire__v1__drain_request__init(message)
    }

    func write(to message: inout Janus__Wire__V1__DrainRequest, arena: CArena) throws(WireError) {
        message.node = try arena.string(node, field: "DrainRequest.node")
    }

    init(reading message: Janus__Wire__V1__DrainRequest, path: String) throws(WireError) {
        self.init(node: try readString(message.node, "\(path).node"))
    }
}

extension Cancel: EmptyProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Cancel>) {
        janus__wire__v1__cancel__init(message)
    }
}
