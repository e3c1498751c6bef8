import Foundation
import JanusInference
import JanusTensor
import JanusWire

/// One client request while the router serves it.
final class RouterJob {
    enum Phase: String {
        case encoding, queued, running, decoding
    }

    let id: String
    /// The client's ZeroMQ routing id (replies go there).
    let client: Data
    let kind: RequestClass
    let arrivedMilliseconds: UInt64
    let deadlineMilliseconds: UInt64
    var phase: Phase
    /// The sequence the pipeline runs, with its tensors.
    var spec: JanusWire.SequenceSpec
    var promptIDs: [Int]
    var imagePositions: [Int] = []
    var pixels: Tensor?
    var imageEmbeddings: Tensor?
    /// Encoder / decoder sub-requests in flight: sub-request id → worker name.
    var outstanding: [String: String] = [:]
    /// Sub-requests waiting for a live replica.
    var unassigned: [String] = []

    // Generation.
    /// VQ: tokens per side; JanusFlow: latent cells per side.
    var gridSide = 0
    var tokens: [[Int]] = []
    var imagesDelivered = Set<Int>()
    /// JanusFlow: the final latents `[images, C, S, S]`, decoded image by image.
    var latents: Tensor?

    // Understanding.
    var answer: AnswerTextStream?
    var answerIDs: [Int] = []
    var stopReason = ""

    init(id: String, client: Data, kind: RequestClass, now: UInt64, deadline: UInt64,
         spec: JanusWire.SequenceSpec, promptIDs: [Int], phase: Phase) {
        self.id = id
        self.client = client
        self.kind = kind
        arrivedMilliseconds = now
        deadlineMilliseconds = deadline
        self.spec = spec
        self.promptIDs = promptIDs
        self.phase = phase
    }

    /// What progress counts while the pipeline runs: tokens, or JanusFlow's ODE steps.
    var progressTotal: UInt32 { spec.mode == .flow ? spec.flowSteps : spec.maxTokens }

    /// Pipeline rows this job occupies while it runs.
    var rows: Int { kind == .generate ? 2 * Int(spec.images) : 1 }

    static func encodeID(_ job: String) -> String { "\(job)/encode" }
    static func imageID(_ job: String, _ index: Int) -> String { "\(job)/image.\(index)" }

    /// The job id and image index of a sub-request id.
    static func parse(subrequest id: String) -> (job: String, image: Int?)? {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        let job = String(id[..<slash]), suffix = id[id.index(after: slash)...]
        if suffix == "encode" { return (job, nil) }
        if suffix.hasPrefix("image."), let index = Int(suffix.dropFirst("image.".count)) { return (job, index) }
        return nil
    }
}
