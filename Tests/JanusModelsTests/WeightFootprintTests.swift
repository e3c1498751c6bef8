import JanusModels
import JanusTensor
import Testing

/// `WeightFootprint` counts what the layers hold, in the form they hold it.
@Suite struct WeightFootprintTests {
    let configuration: JanusConfiguration

    init() throws { configuration = try ModelShape.tiny.configuration }

    @Test func storedWeightsCountTheirStoredBytes() throws {
        let synthetic = SyntheticWeights(seed: 3)
        let head = try GenerationHead(Weights(synthetic).scoped("gen_head"), configuration: configuration.genHead.params)
        let handedOut = synthetic.tensors.reduce(0) { $0 + $1.tensor.byteCount }
        // Two bf16 linears of the tiny head: [64, 64] + 64 and [512, 64] + 512.
        #expect(handedOut == 2 * (64 * 64 + 64 + 512 * 64 + 512))
        #expect(WeightFootprint.byteCount(of: head) == handedOut)
        #expect(WeightFootprint.byteCount(of: head, head) == handedOut, "a tensor reachable twice counts once")
    }

    @Test func int8WeightsCountOneBytePlusTheirScales() throws {
        let weights = Weights(SyntheticWeights(seed: 3)).loadingLinears(as: .int8)
        let layers = [try Linear(weights.scoped("a"), in: 64, out: 64), try Linear(weights.scoped("b"), in: 64, out: 512)]
        func int8Linear(out n: Int, in k: Int) -> Int {
            n * k + n * (k / Int8BlockWeight.blockSize) * 2 + n * 2  // values, bf16 block scales, bf16 bias
        }
        #expect(WeightFootprint.byteCount(of: layers) == int8Linear(out: 64, in: 64) + int8Linear(out: 512, in: 64))
    }

    @Test func cachesAndScratchBuffersAreNotWeights() throws {
        let synthetic = SyntheticWeights(seed: 3)
        let stack = try LlamaDecoderStack(Weights(synthetic).scoped("language_model.model"),
                                          configuration: configuration.language)
        let before = WeightFootprint.byteCount(of: stack)
        #expect(before >= synthetic.tensors.reduce(0) { $0 + $1.tensor.byteCount })

        let cache = stack.makeCache(capacity: 8)
        _ = stack(Tensor(zeros: [4, configuration.language.hiddenSize]), slots: [SequenceSlot(cache: cache, tokenCount: 4)])
        #expect(WeightFootprint.byteCount(of: stack) == before, "the activation buffers kept after a pass are not weights")
    }
}
