import Foundation
import JanusTensor
import JanusWire

// Stage 0's side of the loop: admitting sequences, feeding sampled tokens back, and
// dropping sequences that ran past their deadline.
extension StageService {
    /// Validates and admits a sequence; answers `Error` (with the sequence id) when it
    /// cannot run, nothing otherwise.
    func submit(_ submit: SubmitSequence, message: WireMessage, link: WorkerLink) {
        guard let entry = model.entry else { return link.send(unexpected(message)) }
        let id = submit.spec.sequenceID.isEmpty ? message.requestID : submit.spec.sequenceID
        do {
            let spec = try SequenceSpec(wire: submit.spec)
            guard entry.spec(of: spec.id) == nil else {
                throw WireError(.invalidArgument, "sequence \(spec.id) is already running", requestID: id)
            }
            guard entry.rowsInUse + spec.mode.rowCount <= maxRows else {
                throw WireError(.overloaded, "\(settings.name) runs \(entry.rowsInUse) of \(maxRows) rows; "
                                    + "sequence \(spec.id) needs \(spec.mode.rowCount) more", requestID: id)
            }
            let promptIDs = try message.tensor(named: "prompt_ids", dtype: .i64, rank: 1)
                .integers().map { Int(clamping: $0) }
            let images = try imageInputs(of: message, requestID: id)
            try entry.submit(spec, promptIDs: promptIDs, imageEmbeddings: images?.embeddings,
                             imagePositions: images?.positions ?? [])
            released.remove(spec.id)
            if message.header.deadlineMilliseconds != 0 { deadlines[spec.id] = message.header.deadlineMilliseconds }
            logger.debug("admitted \(spec.id): \(promptIDs.count) prompt tokens, \(spec.mode.rowCount) rows")
        } catch {
            // The router fails the request named by the sequence id, whatever the header said.
            var refusal = WireError.from(error, requestID: id)
            refusal.requestID = id
            link.send(refusal)
        }
    }

    /// `image_embeddings` f32 `[M, hidden]` with `image_positions` i64 `[M]`, both or
    /// neither.
    private func imageInputs(of message: WireMessage,
                             requestID: String) throws -> (embeddings: Tensor, positions: [Int])? {
        guard message.tensor(named: "image_embeddings") != nil || message.tensor(named: "image_positions") != nil else {
            return nil
        }
        let embeddings = try message.tensor(named: "image_embeddings", dtype: .f32, rank: 2)
        let positions = try message.tensor(named: "image_positions", dtype: .i64, rank: 1)
        guard embeddings.shape == [positions.shape[0], model.hiddenSize] else {
            throw WireError(.invalidArgument, "image_embeddings \(embeddings.shape) do not match "
                                + "\(positions.shape[0]) image_positions of width \(model.hiddenSize)",
                            requestID: requestID)
        }
        return (embeddings, positions.integers().map { Int(clamping: $0) })
    }

    /// Reads the tokens (and a flow sequence's latents) of each sequence on its own, so
    /// one broken entry fails only its sequence, then feeds them back.
    func feedBack(_ sampled: SampledTokens, message: WireMessage, link: WorkerLink) {
        var results: [SequenceTokens] = []
        var broken: Set<String> = []
        for index in sampled.sequences.indices {
            do throws(WireError) {
                let result = try SequenceTokens(sampled: message, index: index)
                guard !results.contains(where: { $0.sequenceID == result.sequenceID }) else {
                    throw WireError(.invalidArgument, "sampled step \(sampled.stepID) has sequence \(result.sequenceID) twice",
                                    requestID: result.sequenceID)
                }
                results.append(result)
            } catch {
                guard let id = error.requestID else { link.send(error); continue }
                broken.insert(id)
                fail(id, error.code, "\(settings.name): \(error.message)", link: link)
            }
        }
        feedBack(results.filter { !broken.contains($0.sequenceID) }, link: link)
    }

    /// Feeds what the last stage sampled back into the next step; finished sequences
    /// leave. Tokens that do not fit the sequence (a desync) fail it.
    func feedBack(_ results: [SequenceTokens], link: WorkerLink) {
        guard let entry = model.entry else { return }
        for result in results {
            let id = result.sequenceID
            guard entry.spec(of: id) != nil else { continue }  // released meanwhile
            do {
                try entry.validate(result)
            } catch {
                fail(id, .invalidArgument, "\(settings.name): \(error)", link: link)
                continue
            }
            entry.accept([result])
            if result.finish != nil {
                model.stage.release(id)
                deadlines[id] = nil
            }
        }
    }

    /// Sequences past their deadline fail with DEADLINE_EXCEEDED (the router releases
    /// them on the other stages).
    func expireDeadlines(link: WorkerLink) {
        guard !deadlines.isEmpty else { return }
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        for (id, deadline) in deadlines.sorted(by: { $0.key < $1.key }) where deadline <= now {
            fail(id, .deadlineExceeded, "sequence \(id) ran past its deadline on \(settings.name)", link: link)
        }
    }
}
