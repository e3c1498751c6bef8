import CJanusWire

extension Sampling: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__Sampling>) {
        janus__wire__v1__sampling__init(message)
    }

    func write(to message: inout Janus__Wire__V1__Sampling, arena: CArena) throws(WireError) {
        message.temperature = temperature
        message.top_k = topK
        message.top_p = topP
        message.greedy = writeBool(greedy)
        message.seed = seed
    }

    init(reading message: Janus__Wire__V1__Sampling, path: String) throws(WireError) {
        self.init(temperature: message.temperature, topK: message.top_k, topP: message.top_p,
                  greedy: readBool(message.greedy), seed: message.seed)
    }
}

extension SequenceSpec: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__SequenceSpec>) {
        janus__wire__v1__sequence_spec__init(message)
    }

    func write(to message: inout Janus__Wire__V1__SequenceSpec, arena: CArena) throws(WireError) {
        message.sequence_id = try arena.string(sequenceID, field: "SequenceSpec.sequence_id")
        message.mode = .init(rawValue: mode.rawValue)
        message.images = images
        message.cfg_weight = cfgWeight
        message.sampling = try arena.message(sampling)
        message.max_tokens = maxTokens
        message.n_stop_token_ids = stopTokenIDs.count
        message.stop_token_ids = arena.array(stopTokenIDs)
        message.pad_id = padID
        message.prompt_tokens = promptTokens
        message.flow_steps = flowSteps
        message.latent_channels = latentChannels
        message.latent_size = latentSize
    }

    init(reading message: Janus__Wire__V1__SequenceSpec, path: String) throws(WireError) {
        self.init(sequenceID: try readString(message.sequence_id, "\(path).sequence_id"),
                  mode: try readEnum(message.mode.rawValue, "\(path).mode"),
                  images: message.images,
                  cfgWeight: message.cfg_weight,
                  sampling: try readOptional(message.sampling, "\(path).sampling") ?? Sampling(),
                  maxTokens: message.max_tokens,
                  stopTokenIDs: readScalars(message.n_stop_token_ids, message.stop_token_ids),
                  padID: message.pad_id,
                  promptTokens: message.prompt_tokens,
                  flowSteps: message.flow_steps,
                  latentChannels: message.latent_channels,
                  latentSize: message.latent_size)
    }
}

extension SubmitSequence: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__SubmitSequence>) {
        janus__wire__v1__submit_sequence__init(message)
    }

    func write(to message: inout Janus__Wire__V1__SubmitSequence, arena: CArena) throws(WireError) {
        message.spec = try arena.message(spec)
    }

    init(reading message: Janus__Wire__V1__SubmitSequence, path: String) throws(WireError) {
        self.init(spec: try readOptional(message.spec, "\(path).spec") ?? SequenceSpec())
    }
}

extension RowSlot: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__RowSlot>) {
        janus__wire__v1__row_slot__init(message)
    }

    func write(to message: inout Janus__Wire__V1__RowSlot, arena: CArena) throws(WireError) {
        message.sequence_id = try arena.string(sequenceID, field: "RowSlot.sequence_id")
        message.row = row
        message.token_count = tokenCount
        message.position = position
        message.first_position = firstPosition
    }

    init(reading message: Janus__Wire__V1__RowSlot, path: String) throws(WireError) {
        self.init(sequenceID: try readString(message.sequence_id, "\(path).sequence_id"),
                  row: message.row, tokenCount: message.token_count, position: message.position,
                  firstPosition: message.first_position)
    }
}

extension StepActivations: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__StepActivations>) {
        janus__wire__v1__step_activations__init(message)
    }

    func write(to message: inout Janus__Wire__V1__StepActivations, arena: CArena) throws(WireError) {
        message.step_id = stepID
        message.n_slots = slots.count
        message.slots = try arena.messages(slots)
        message.n_new_sequences = newSequences.count
        message.new_sequences = try arena.messages(newSequences)
    }

    init(reading message: Janus__Wire__V1__StepActivations, path: String) throws(WireError) {
        self.init(stepID: message.step_id,
                  slots: try readMessages(message.n_slots, message.slots, "\(path).slots"),
                  newSequences: try readMessages(message.n_new_sequences, message.new_sequences,
                                                 "\(path).new_sequences"))
    }
}

extension SequenceTokens: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__SequenceTokens>) {
        janus__wire__v1__sequence_tokens__init(message)
    }

    func write(to message: inout Janus__Wire__V1__SequenceTokens, arena: CArena) throws(WireError) {
        message.sequence_id = try arena.string(sequenceID, field: "SequenceTokens.sequence_id")
        message.n_tokens = tokens.count
        message.tokens = arena.array(tokens)
        message.finished = writeBool(finished)
        message.finish_reason = try arena.string(finishReason, field: "SequenceTokens.finish_reason")
    }

    init(reading message: Janus__Wire__V1__SequenceTokens, path: String) throws(WireError) {
        self.init(sequenceID: try readString(message.sequence_id, "\(path).sequence_id"),
                  tokens: readScalars(message.n_tokens, message.tokens),
                  finished: readBool(message.finished),
                  finishReason: try readString(message.finish_reason, "\(path).finish_reason"))
    }
}

extension SampledTokens: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__SampledTokens>) {
        janus__wire__v1__sampled_tokens__init(message)
    }

    func write(to message: inout Janus__Wire__V1__SampledTokens, arena: CArena) throws(WireError) {
        message.step_id = stepID
        message.n_sequences = sequences.count
        message.sequences = try arena.messages(sequences)
    }

    init(reading message: Janus__Wire__V1__SampledTokens, path: String) throws(WireError) {
        self.init(stepID: message.step_id,
                  sequences: try readMessages(message.n_sequences, message.sequences, "\(path).sequences"))
    }
}

extension SequenceEvent: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__SequenceEvent>) {
        janus__wire__v1__sequence_event__init(message)
    }

    func write(to message: inout Janus__Wire__V1__SequenceEvent, arena: CArena) throws(WireError) {
        message.tokens = try arena.message(tokens)
        message.step = step
    }

    init(reading message: Janus__Wire__V1__SequenceEvent, path: String) throws(WireError) {
        self.init(tokens: try readOptional(message.tokens, "\(path).tokens") ?? SequenceTokens(), step: message.step)
    }
}

extension ReleaseSequence: ProtobufMessage {
    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__ReleaseSequence>) {
        janus__wire__v1__release_sequence__init(message)
    }

    func write(to message: inout Janus__Wire__V1__ReleaseSequence, arena: CArena) throws(WireError) {
        message.sequence_id = try arena.string(sequenceID, field: "ReleaseSequence.sequence_id")
        message.reason = try arena.string(reason, field: "ReleaseSequence.reason")
    }

    init(reading message: Janus__Wire__V1__ReleaseSequence, path: String) throws(WireError) {
        self.init(sequenceID: try readString(message.sequence_id, "\(path).sequence_id"),
                  reason: try readString(message.reason, "\(path).reason"))
    }
}
