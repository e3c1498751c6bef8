import Foundation
import JanusTensor
import JanusWire

/// Messages from workers: registration and liveness, encoder and decoder results,
/// pipeline events and errors.
extension RouterServer {
    func handleWorker(_ peer: Data, _ message: WireMessage) {
        let now = Self.now()
        if case .hello(let hello) = message.body { return register(hello, peer: peer, now: now) }
        guard let worker = registry.worker(routingID: peer) else {
            return replyError(to: peer, on: backend, requestID: message.requestID, .notFound,
                              "unknown worker \(Self.describe(peer)): send Hello first")
        }
        registry.heard(from: worker.name, at: now)
        switch message.body {
        case .heartbeat: break
        case .encodeResult: encoded(message, from: worker.name)
        case .decodeResult: decoded(message, from: worker.name)
        case .sequenceEvent(let event): sequenceProgressed(event, message: message)
        case .error(let error): workerReported(error, requestID: message.requestID, from: worker)
        default:
            replyError(to: peer, on: backend, requestID: message.requestID, .invalidArgument,
                       "a worker cannot send \(message.body.fieldName) to the router")
        }
    }

    private func register(_ hello: Hello, peer: Data, now: UInt64) {
        let role: WorkerRole
        switch hello.role {
        case .encoder: role = .encoder
        case .decoder: role = .decoder
        case .stage: role = .stage
        default:
            return replyError(to: peer, on: backend, requestID: "hello", .invalidArgument,
                              "role \(hello.role) cannot register as a worker")
        }
        guard !hello.name.isEmpty else {
            return replyError(to: peer, on: backend, requestID: "hello", .invalidArgument, "Hello without a name")
        }
        let stage = hello.stage.map {
            Worker.Stage(index: Int($0.index), count: Int($0.count),
                         layers: Int($0.firstLayer)..<max(Int($0.firstLayer), Int($0.endLayer)),
                         dataEndpoint: $0.dataEndpoint)
        }
        let worker = Worker(name: hello.name, role: role, node: hello.node, capacity: Int(hello.capacity),
                            stage: stage, routingID: peer, lastSeenMilliseconds: now)
        if let previous = registry.register(worker) {
            workerLost(previous, reason: "restarted: it said hello again")
        }
        if stage?.index == 0 { admission.policy.pipelineRows = worker.capacity }
        logger.info("\(hello.name) (\(role.rawValue) on \(hello.node)) registered")
    }

    // MARK: Encoders

    private func encoded(_ message: WireMessage, from worker: String) {
        registry.changeOutstanding(worker, by: -1)
        guard let (jobID, _) = RouterJob.parse(subrequest: message.requestID), let job = jobs[jobID],
              job.outstanding.removeValue(forKey: message.requestID) != nil else { return }
        do {
            let embeddings = try message.tensor(named: "embeddings", dtype: .f32, rank: 3)
            let hidden = model.language.hiddenSize
            guard embeddings.elementCount == job.imagePositions.count * hidden else {
                throw WireError(.internalError, "encoder \(worker) returned \(embeddings.shape) for \(job.imagePositions.count) image positions")
            }
            job.imageEmbeddings = embeddings.reshaped([job.imagePositions.count, hidden])
            job.pixels = nil
            enqueue(job)
        } catch let error as WireError {
            fail(job, error.code, error.message)
        } catch {
            fail(job, .internalError, "\(error)")
        }
    }

    // MARK: Decoders

    private func decoded(_ message: WireMessage, from worker: String) {
        registry.changeOutstanding(worker, by: -1)
        guard let (jobID, image) = RouterJob.parse(subrequest: message.requestID), let index = image,
              let job = jobs[jobID], job.outstanding.removeValue(forKey: message.requestID) != nil else { return }
        guard let png = message.tensor(named: "png.0"), png.dtype == .u8 else {
            return fail(job, .internalError, "decoder \(worker) returned no png.0")
        }
        let tokens = Tensor(shape: [job.tokens[index].count], job.tokens[index].map(Int64.init))
        reply(job, .image(ImageResult(index: UInt32(index))), tensors: ["png": png, "tokens": tokens])
        job.imagesDelivered.insert(index)
        reply(job, .progress(ProgressUpdate(phase: "decoding", done: UInt32(job.imagesDelivered.count),
                                            total: UInt32(job.tokens.count))))
        if job.imagesDelivered.count == job.tokens.count {
            reply(job, .done(Done(stopReason: "complete", promptTokens: job.spec.promptTokens)))
            finish(job)
        }
    }

    /// Sends every waiting encoder/decoder sub-request to the least-loaded live replica.
    func dispatchUnassigned() {
        for job in jobs.values where !job.unassigned.isEmpty {
            var waiting: [String] = []
            for subrequest in job.unassigned {
                let image = RouterJob.parse(subrequest: subrequest)?.image
                guard let worker = registry.leastLoaded(image == nil ? .encoder : .decoder) else {
                    waiting.append(subrequest)
                    continue
                }
                if let image {
                    let request = WireBody.decodeRequest(DecodeRequest(gridHeight: UInt32(job.gridSide),
                                                                       gridWidth: UInt32(job.gridSide)))
                    if let latents = job.latents {
                        sendToWorker(worker.name, requestID: subrequest, deadline: job.deadlineMilliseconds, request,
                                     tensors: ["latents": latents.rows(image..<image + 1)])
                    } else {
                        let codes = Tensor(shape: [1, job.tokens[image].count], job.tokens[image].map(Int64.init))
                        sendToWorker(worker.name, requestID: subrequest, deadline: job.deadlineMilliseconds, request,
                                     tensors: ["codes": codes])
                    }
                } else if let pixels = job.pixels {
                    sendToWorker(worker.name, requestID: subrequest, deadline: job.deadlineMilliseconds,
                                 .encodeRequest(EncodeRequest()), tensors: ["pixels": pixels])
                }
                job.outstanding[subrequest] = worker.name
                registry.changeOutstanding(worker.name, by: 1)
            }
            job.unassigned = waiting
        }
    }

    // MARK: The pipeline

    /// Starts admitted jobs on the pipeline when it is whole.
    func admitQueued() {
        guard let stages = registry.readyPipeline else { return }
        for (id, _) in admission.admit() {
            guard let job = jobs[id] else { continue }
            job.phase = .running
            var tensors: [NamedTensor] = [NamedTensor(name: "prompt_ids", tensor: Tensor(shape: [job.promptIDs.count], job.promptIDs.map(Int64.init)))]
            if let embeddings = job.imageEmbeddings {
                tensors.append(NamedTensor(name: "image_embeddings", tensor: embeddings))
                tensors.append(NamedTensor(name: "image_positions",
                                           tensor: Tensor(shape: [job.imagePositions.count], job.imagePositions.map(Int64.init))))
            }
            let header = WireHeader(requestID: id, deadlineMilliseconds: job.deadlineMilliseconds,
                                    body: .submitSequence(SubmitSequence(spec: job.spec)))
            send(WireMessage(header: header, tensors: tensors), to: stages[0].routingID, on: backend)
            reply(job, .progress(ProgressUpdate(phase: job.kind == .generate ? "generating" : "answering",
                                                done: 0, total: job.progressTotal)))
        }
    }

    private func sequenceProgressed(_ event: SequenceEvent, message: WireMessage) {
        let tokens = event.tokens
        guard let job = jobs[tokens.sequenceID], job.phase == .running else { return }
        switch job.kind {
        case .generate where job.spec.mode == .flow:
            flowProgressed(job, event, message: message)
        case .generate:
            guard tokens.tokens.count == job.tokens.count else {
                return fail(job, .internalError, "the pipeline returned \(tokens.tokens.count) tokens for \(job.tokens.count) images")
            }
            for (image, token) in tokens.tokens.enumerated() { job.tokens[image].append(Int(token)) }
            reply(job, .progress(ProgressUpdate(phase: "generating", done: UInt32(job.tokens[0].count),
                                                total: job.spec.maxTokens)))
            if tokens.finished { startDecoding(job) }
        case .understand:
            var piece = ""
            for token in tokens.tokens {
                job.answerIDs.append(Int(token))
                piece += job.answer?.append(Int(token)) ?? ""
            }
            let stopped = job.answer?.stopped ?? false
            if tokens.finished || stopped {
                piece += job.answer?.finish() ?? ""
                job.stopReason = stopped ? "stop_string" : tokens.finishReason
            }
            if !piece.isEmpty { reply(job, .text(TextDelta(text: piece))) }
            if tokens.finished || stopped {
                if stopped { releaseEverywhere(job.id, reason: "stop string") }
                reply(job, .done(Done(text: job.answer?.text ?? "", tokenIDs: job.answerIDs.map(Int64.init),
                                      stopReason: job.stopReason, promptTokens: job.spec.promptTokens)))
                finish(job)
            }
        }
    }

    /// The pipeline is done with a generation: its rows are free, its images go to the
    /// decoders.
    func startDecoding(_ job: RouterJob) {
        job.phase = .decoding
        admission.finish(job.id)
        job.unassigned = (0..<job.tokens.count).map { RouterJob.imageID(job.id, $0) }
        dispatchUnassigned()
    }

    private func workerReported(_ error: ErrorReply, requestID: String, from worker: Worker) {
        let jobID = RouterJob.parse(subrequest: requestID)?.job ?? requestID
        guard let job = jobs[jobID] else {
            logger.warning("\(worker.name) reported \(error.code): \(error.message) (request \(requestID))")
            return
        }
        if job.outstanding.removeValue(forKey: requestID) != nil { registry.changeOutstanding(worker.name, by: -1) }
        let code: ErrorCode = error.code == .unspecified ? .internalError : error.code
        fail(job, code, "\(worker.name): \(error.message)")
    }

    // MARK: Failures

    /// A worker died or restarted: resend its idempotent work, fail the pipeline's.
    func workerLost(_ worker: Worker, reason: String) {
        logger.warning("lost \(worker.name) (\(worker.role.rawValue) on \(worker.node)): \(reason)")
        switch worker.role {
        case .encoder, .decoder:
            for job in jobs.values {
                let lost = job.outstanding.filter { $0.value == worker.name }.map(\.key)
                for subrequest in lost {
                    job.outstanding[subrequest] = nil
                    job.unassigned.append(subrequest)
                }
            }
            dispatchUnassigned()
        case .stage:
            for job in jobs.values where job.phase == .running {
                fail(job, .unavailable, "lost pipeline stage \(worker.name) on node \(worker.node) (\(reason))")
            }
        }
    }

    /// Ends a job with an error to its client and cleans up everywhere.
    func fail(_ job: RouterJob, _ code: ErrorCode, _ message: String) {
        logger.notice("request \(job.id) failed: \(message)")
        replyError(to: job.client, on: clients, requestID: job.id, code, message)
        if job.phase == .running { releaseEverywhere(job.id, reason: message) }
        stats[job.kind]?.recordFailure()
        remove(job)
    }

    private func finish(_ job: RouterJob) {
        stats[job.kind]?.recordSuccess(milliseconds: Double(Self.now() - job.arrivedMilliseconds))
        remove(job)
    }

    private func remove(_ job: RouterJob) {
        for (_, worker) in job.outstanding { registry.changeOutstanding(worker, by: -1) }
        admission.finish(job.id)
        jobs[job.id] = nil
    }

    /// Tells every live stage to drop a sequence.
    func releaseEverywhere(_ sequenceID: String, reason: String) {
        for worker in registry.workers.values where worker.role == .stage && worker.alive {
            sendToWorker(worker.name, requestID: sequenceID,
                         .release(ReleaseSequence(sequenceID: sequenceID, reason: reason)))
        }
    }
}
