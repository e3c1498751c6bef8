import JanusWire

// Running one step: this stage's layers, then the next stage, or the heads.
extension StageService {
    /// Runs the sequences of `batch` this stage can run. Those released meanwhile are
    /// dropped quietly; those that do not fit this stage's state (unknown, desynced,
    /// wrong rows or token counts) are reported, and the rest go on without them.
    func process(_ batch: StepBatch, link: WorkerLink) {
        let releasedMeanwhile = Set(batch.sequenceIDs.filter { released.contains($0) })
        guard batch.hidden.shape[1] == model.hiddenSize else {
            for id in batch.sequenceIDs where !releasedMeanwhile.contains(id) {
                fail(id, .invalidArgument, "\(settings.name): step \(batch.stepID) has hidden \(batch.hidden.shape), "
                        + "expected width \(model.hiddenSize)", link: link)
            }
            return
        }
        let problems = model.stage.problems(in: batch).merging(model.exit?.problems(in: batch) ?? [:]) { first, _ in first }
        for (id, problem) in problems.sorted(by: { $0.key < $1.key }) where !releasedMeanwhile.contains(id) {
            fail(id, .invalidArgument, "\(settings.name): \(problem.message)", link: link)
        }
        guard let runnable = batch.removing(releasedMeanwhile.union(problems.keys)) else { return }

        let output: StepBatch
        do {
            output = try model.stage.forward(runnable, afterEachLayer: { link.keepAlive() })
        } catch {
            // `problems` covers what `forward` checks, so this is a bug; the step's
            // sequences cannot go on either way.
            for id in runnable.sequenceIDs { fail(id, .internalError, "\(settings.name): \(error)", link: link) }
            return
        }
        if let exit = model.exit {
            sample(output, with: exit, link: link)
        } else {
            pushDownstream(output.message, sequences: output.sequenceIDs, link: link)
        }
    }

    /// The last stage: chooses every sequence's next tokens, tells the router, and sends
    /// the tokens back to stage 0 (or feeds them back here when this is stage 0 too).
    private func sample(_ output: StepBatch, with exit: PipelineExit, link: WorkerLink) {
        let results: [SequenceTokens]
        do {
            results = try exit.sample(output)
        } catch {
            for id in output.sequenceIDs { fail(id, .internalError, "\(settings.name): \(error)", link: link) }
            return
        }
        for result in results {
            link.send(result.eventMessage)
            // The exit forgot a finished sequence; its caches here go too.
            if result.finish != nil { model.stage.release(result.sequenceID) }
        }
        if placement.isFirst {
            feedBack(results, link: link)
        } else {
            pushDownstream(SequenceTokens.sampledMessage(results, stepID: output.stepID),
                           sequences: results.filter { $0.finish == nil }.map(\.sequenceID), link: link)
        }
    }

    /// PUSHes to the next stage (or stage 0). A downstream stage that takes nothing for a
    /// whole silence limit is gone: the sequences concerned are reported UNAVAILABLE.
    private func pushDownstream(_ message: WireMessage, sequences: [String], link: WorkerLink) {
        guard let push else { return }
        do {
            try push.sendPatiently(message, patienceMilliseconds: settings.heartbeat.silenceLimitMilliseconds,
                                   whileWaiting: { link.keepAlive() })
        } catch {
            let target = placement.downstreamEndpoint ?? "the next stage"
            for id in sequences {
                fail(id, .unavailable, "\(settings.name) could not pass \(message.body.fieldName) to \(target): \(error)",
                     link: link)
            }
        }
    }
}
