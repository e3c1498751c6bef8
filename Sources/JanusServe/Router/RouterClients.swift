import Foundation
import JanusInference
import JanusTensor
import JanusWire

/// Requests from clients: validated and turned into jobs, or answered right away.
extension RouterServer {
    func handleClient(_ peer: Data, _ message: WireMessage) {
        let id = message.requestID
        switch message.body {
        case .generate(let request): accept(peer, message, prepare: { try prepareGeneration(id, peer, message, request) })
        case .ask(let request): accept(peer, message, prepare: { try prepareUnderstanding(id, peer, message, request) })
        case .statusRequest:
            send(WireMessage(requestID: id, body: .statusReply(statusReply(now: Self.now()))), to: peer, on: clients)
        case .drain(let request):
            let count = registry.drain(node: request.node)
            guard count > 0 else {
                return replyError(to: peer, on: clients, requestID: id, .notFound, "no worker runs on node \"\(request.node)\"")
            }
            logger.notice("draining node \(request.node) (\(count) workers)")
            send(WireMessage(requestID: id, body: .ack(Ack())), to: peer, on: clients)
        case .cancel:
            guard let job = jobs[id], job.client == peer else {
                return replyError(to: peer, on: clients, requestID: id, .notFound, "no request \(id) to cancel")
            }
            fail(job, .cancelled, "cancelled by the client")
        default:
            replyError(to: peer, on: clients, requestID: id, .invalidArgument,
                       "a client cannot send \(message.body.fieldName)")
        }
    }

    /// Registers a new job, or explains why not.
    private func accept(_ peer: Data, _ message: WireMessage, prepare: () throws -> RouterJob) {
        let id = message.requestID
        guard jobs[id] == nil else {
            return replyError(to: peer, on: clients, requestID: id, .invalidArgument, "request id \(id) is already in use")
        }
        let job: RouterJob
        do {
            job = try prepare()
        } catch let error as WireError {
            return replyError(to: peer, on: clients, requestID: id, error.code, error.message)
        } catch {
            return replyError(to: peer, on: clients, requestID: id, .invalidArgument, "\(error)")
        }
        jobs[id] = job
        if job.phase == .queued { enqueue(job) }
    }

    func enqueue(_ job: RouterJob) {
        job.phase = .queued
        guard admission.enqueue(job.id, kind: job.kind, rows: job.rows) else {
            return fail(job, .overloaded, "the \(job.kind.rawValue) queue is full (\(admission.queued(job.kind)) waiting); retry later")
        }
        reply(job, .progress(ProgressUpdate(phase: "queued", done: 0, total: UInt32(admission.queued(job.kind)))))
    }

    func deadline(of message: WireMessage, now: UInt64) -> UInt64 {
        message.header.deadlineMilliseconds > 0
            ? message.header.deadlineMilliseconds
            : now + UInt64(policy.defaultDeadlineMilliseconds)
    }

    private func prepareGeneration(_ id: String, _ peer: Data, _ message: WireMessage,
                                   _ request: GenerateRequest) throws -> RouterJob {
        guard (1...64).contains(request.count) else { throw RouterRequestError("count must be in 1…64, got \(request.count)") }
        guard request.defaultCFG || (request.cfgWeight.isFinite && request.cfgWeight >= 0) else {
            throw RouterRequestError("cfg weight must be finite and ≥ 0, got \(request.cfgWeight)")
        }
        guard !request.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RouterRequestError("the prompt is empty")
        }
        let now = Self.now()
        let deadline = deadline(of: message, now: now)
        switch model.generation {
        case .vqTokens:
            return try prepareTokenGeneration(id, peer, request, now: now, deadline: deadline)
        case .flow(let configuration):
            return try prepareFlowGeneration(id, peer, request, configuration: configuration, now: now, deadline: deadline)
        }
    }

    /// Janus / Janus-Pro: one image token per step, sampled at the last stage.
    private func prepareTokenGeneration(_ id: String, _ peer: Data, _ request: GenerateRequest,
                                        now: UInt64, deadline: UInt64) throws -> RouterJob {
        guard request.steps == 0 else {
            throw RouterRequestError("ODE steps apply to JanusFlow; this cluster serves a Janus / Janus-Pro checkpoint, "
                                     + "which samples VQ image tokens")
        }
        try validate(request.sampling)
        let side = try model.generationGrid(imageSize: Int(request.imageSize))
        let ids = model.prompts.generationPromptIDs(request.prompt)
        let spec = JanusWire.SequenceSpec(
            sequenceID: id, mode: .image, images: request.count,
            cfgWeight: request.defaultCFG ? Self.defaultTokenCFGWeight : request.cfgWeight,
            sampling: request.sampling, maxTokens: UInt32(side * side), padID: UInt32(model.padID),
            promptTokens: UInt32(ids.count))
        let job = RouterJob(id: id, client: peer, kind: .generate, now: now, deadline: deadline,
                            spec: spec, promptIDs: ids, phase: .queued)
        job.gridSide = side
        job.tokens = Array(repeating: [], count: Int(request.count))
        return job
    }

    /// Janus-Pro's default guidance (`generation_inference.py`).
    static let defaultTokenCFGWeight: Float = 5

    private func prepareUnderstanding(_ id: String, _ peer: Data, _ message: WireMessage,
                                      _ request: AskRequest) throws -> RouterJob {
        try validate(request.sampling)
        guard !request.question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RouterRequestError("the question is empty")
        }
        var files: [Data] = []
        for index in 0..<message.tensors.count {
            guard let tensor = message.tensor(named: "image.\(index)") else { break }
            guard tensor.dtype == .u8, tensor.rank == 1 else {
                throw RouterRequestError("image.\(index) must be the file's bytes (u8, rank 1)")
            }
            files.append(Data(tensor.rawBytes))
        }
        guard files.count == message.tensors.count else {
            throw RouterRequestError("tensors must be image.0 … image.\(files.count), got \(message.tensors.map(\.name))")
        }
        let prompt = try model.understandingPrompt(question: request.question, imageFiles: files)
        let maxNew = request.maxNewTokens == 0 ? 512 : Int(request.maxNewTokens)
        let spec = JanusWire.SequenceSpec(
            sequenceID: id, mode: .text, images: 0, cfgWeight: 0, sampling: request.sampling, maxTokens: UInt32(maxNew),
            stopTokenIDs: [Int64(model.endOfSequenceID)], promptTokens: UInt32(prompt.ids.count))
        let now = Self.now()
        let job = RouterJob(id: id, client: peer, kind: .understand, now: now, deadline: deadline(of: message, now: now),
                            spec: spec, promptIDs: prompt.ids, phase: prompt.pixels == nil ? .queued : .encoding)
        job.imagePositions = prompt.imagePositions
        job.pixels = prompt.pixels
        job.answer = AnswerTextStream(tokenizer: model.prompts.tokenizer, stopStrings: ["User:"])
        if prompt.pixels != nil { job.unassigned = [RouterJob.encodeID(id)] }
        return job
    }

    private func validate(_ sampling: Sampling) throws {
        if sampling.greedy { return }
        guard sampling.temperature.isFinite, sampling.temperature > 0 else {
            throw RouterRequestError("temperature must be > 0 (or greedy), got \(sampling.temperature)")
        }
        guard sampling.topP == 0 || (sampling.topP > 0 && sampling.topP <= 1) else {
            throw RouterRequestError("top-p must be in (0, 1], got \(sampling.topP)")
        }
    }
}
