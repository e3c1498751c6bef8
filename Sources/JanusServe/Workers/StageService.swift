import Foundation
import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusWire
import Logging

/// One stage of the transformer pipeline (docs/PROTOCOL.md, "The pipeline").
///
/// Every stage binds a PULL socket at its data endpoint and runs its layers
/// (`PipelineStage`) over the steps it gets; all but the last PUSH the result to the
/// next stage. Stage 0 also takes `SubmitSequence` from the router and the sampled
/// tokens on its data socket, and batches every sequence that has input into the next
/// step (`PipelineEntry`). The last stage samples (`PipelineExit`), PUSHes
/// `SampledTokens` to stage 0 and sends one `SequenceEvent` per sequence to the router;
/// with a single stage that loop stays inside the process. Sequences a stage cannot run
/// are reported to the router as `Error` with the sequence id as request id; the others
/// of the same step go on.
public final class StageService: WorkerService, @unchecked Sendable {
    public let settings: WorkerSettings
    public let logger: Logger
    public let placement: StagePlacement
    public let model: StageModel
    /// Sequence rows stage 0 admits at once (the `Hello` capacity); more is OVERLOADED.
    public let maxRows: Int

    var pull: ZMQSocket?
    var push: ZMQSocket?
    /// Stage 0: Unix milliseconds by which each sequence must be done.
    var deadlines: [String: UInt64] = [:]
    var released = RecentlyReleased()

    public init(settings: WorkerSettings, placement: StagePlacement, model: StageModel, maxRows: Int = 64,
                logger: Logger? = nil) {
        self.settings = settings
        self.placement = placement
        self.model = model
        self.maxRows = max(maxRows, 1)
        self.logger = logger ?? .worker(named: settings.name)
    }

    /// Loads this stage's weights of `weights` (scoped at the checkpoint root), placed by
    /// the cluster file for a model of `configuration`'s depth.
    public convenience init(settings: WorkerSettings, configuration: JanusConfiguration, weights: Weights,
                            maxRows: Int = 64, logger: Logger? = nil) throws {
        let placement = try StagePlacement(settings: settings, totalLayers: configuration.language.numHiddenLayers)
        self.init(settings: settings, placement: placement,
                  model: try StageModel(weights: weights, configuration: configuration, placement: placement),
                  maxRows: maxRows, logger: logger)
    }

    /// Loads this stage's part of a JanusFlow checkpoint (`weights` scoped at its root).
    public convenience init(settings: WorkerSettings, configuration: JanusFlowConfiguration, weights: Weights,
                            maxRows: Int = 64, logger: Logger? = nil) throws {
        let placement = try StagePlacement(settings: settings, totalLayers: configuration.language.numHiddenLayers)
        self.init(settings: settings, placement: placement,
                  model: try StageModel(weights: weights, configuration: configuration, placement: placement),
                  maxRows: maxRows, logger: logger)
    }

    /// Loads this stage's part of the model in `settings`, a Janus / Janus-Pro or a
    /// JanusFlow checkpoint (told from its config.json).
    public convenience init(settings: WorkerSettings, maxRows: Int = 64, logger: Logger? = nil) throws {
        let directory = settings.modelDirectory
        let weights = { Weights(try Checkpoint.open(directory: directory)) }
        switch try ModelKind.detect(directory: directory) {
        case .janus:
            try self.init(settings: settings, configuration: try JanusConfiguration.load(directory: directory),
                          weights: try weights(), maxRows: maxRows, logger: logger)
        case .janusFlow:
            try self.init(settings: settings, configuration: try JanusFlowConfiguration.load(directory: directory),
                          weights: try weights(), maxRows: maxRows, logger: logger)
        case .vae:
            throw SettingsError("\(directory) is a VAE; a stage needs a Janus, Janus-Pro or JanusFlow checkpoint "
                                    + "(a VAE is for decoders, with --vae)")
        }
    }

    public var hello: Hello {
        Hello(role: .stage, name: settings.name, node: settings.node, capacity: UInt32(maxRows),
              stage: placement.stageInfo)
    }

    public var load: Heartbeat {
        Heartbeat(load: UInt32(model.entry?.rowsInUse ?? model.stage.rowsInUse))
    }

    public func openSockets(_ context: ZMQContext) throws -> [ZMQSocket] {
        let pull = try context.socket(.pull)
        try pull.bind(placement.bindAddress)
        self.pull = pull
        if let downstream = placement.downstreamEndpoint {
            let push = try context.socket(.push)
            try push.connect(downstream)
            self.push = push
        }
        let output = placement.downstreamEndpoint.map { ", output to \($0)" } ?? ""
        logger.info("stage \(placement.index + 1)/\(placement.count): layers \(placement.layers), data at \(placement.dataEndpoint)\(output)")
        return [pull]
    }

    public func closeSockets() {
        pull?.close()
        push?.close()
        pull = nil
        push = nil
    }

    // MARK: Messages

    public func handleRouterMessage(_ message: WireMessage, link: WorkerLink) {
        switch message.body {
        case .submitSequence(let submit) where model.entry != nil:
            self.submit(submit, message: message, link: link)
        case .release(let release):
            logger.debug("releasing \(release.sequenceID) (\(release.reason))")
            forget(release.sequenceID)
        default:
            link.send(unexpected(message))
        }
    }

    public func handleDataMessage(_ received: Received, socket index: Int, link: WorkerLink) {
        let message: WireMessage
        switch received.result {
        case .failure(let error):
            // PULL has no way back to the sender: the router hears of it, and the
            // sequences of a lost step end at their deadline.
            return link.send(error)
        case .success(let decoded):
            message = decoded
        }
        switch message.body {
        case .step where !placement.isFirst:
            do {
                process(try StepBatch(message: message), link: link)
            } catch {
                reportUnreadableStep(message, error: WireError.from(error, requestID: message.requestID), link: link)
            }
        case .sampled(let sampled) where placement.isFirst:
            feedBack(sampled, message: message, link: link)
        default:
            link.send(WireError(.invalidArgument, "\(settings.name) does not take \(message.body.fieldName) "
                                    + "messages on its data socket", requestID: message.requestID))
        }
    }

    public func performPendingWork(link: WorkerLink) -> Bool {
        guard let entry = model.entry else { return false }
        expireDeadlines(link: link)
        guard let batch = entry.nextBatch() else { return false }
        process(batch, link: link)
        return true
    }

    // MARK: Failures

    /// Reports a sequence this stage cannot go on with and drops it here; the router
    /// fails the request and releases it on the other stages.
    func fail(_ sequenceID: String, _ code: ErrorCode, _ message: String, link: WorkerLink) {
        link.send(WireError(code, message, requestID: sequenceID))
        forget(sequenceID)
    }

    /// A step whose body does not hold together: every sequence it names is reported
    /// (they cannot go on), or the message itself when it names none.
    private func reportUnreadableStep(_ message: WireMessage, error: WireError, link: WorkerLink) {
        guard case .step(let step) = message.body else { return link.send(error) }
        let named = Set(step.slots.map(\.sequenceID).filter { !$0.isEmpty
            && $0.utf8.count <= PipelineWireLimits.maxSequenceIDBytes })
        guard !named.isEmpty else { return link.send(error) }
        for id in named.sorted() where !released.contains(id) {
            fail(id, error.code, "\(settings.name): \(error.message)", link: link)
        }
    }

    /// Drops every trace of a sequence on this stage and remembers that it did.
    func forget(_ sequenceID: String) {
        model.entry?.release(sequenceID)
        model.stage.release(sequenceID)
        model.exit?.release(sequenceID)
        deadlines[sequenceID] = nil
        released.insert(sequenceID)
    }
}
