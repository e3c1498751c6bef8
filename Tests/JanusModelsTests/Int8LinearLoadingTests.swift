@testable import JanusModels
import JanusTensor
import Testing

/// `Linear` under `--weights int8`: quantised at load, and the stored weight released so
/// only the int8 copy stays resident.
@Suite struct Int8LinearLoadingTests {
    @Test func quantisedLayersReleaseTheirStoredWeight() throws {
        let synthetic = SyntheticWeights(seed: 3, keepsReleasedTensors: false)
        let layer = try Linear(Weights(synthetic, linearFormat: .int8).scoped("proj"), in: 64, out: 40)
        guard case .int8(let quantized) = layer.storage else { Issue.record("not quantised"); return }
        #expect(quantized.shape == [40, 64])
        #expect(synthetic.tensors.map(\.name) == ["proj.bias"])
        // Asked again, the provider makes the same values.
        let again = try synthetic.tensor("proj.weight", shape: [40, 64])
        #expect(Int8BlockWeight(quantizing: again).dequantized().floats() == quantized.dequantized().floats())
    }

    @Test func providersThatKeepTensorsStillHaveThem() throws {
        let synthetic = SyntheticWeights(seed: 3)
        _ = try Linear(Weights(synthetic, linearFormat: .int8).scoped("proj"), in: 64, out: 40)
        #expect(synthetic.tensors.map(\.name) == ["proj.bias", "proj.weight"])
    }

    @Test func storedLayersKeepTheirWeight() throws {
        let synthetic = SyntheticWeights(seed: 3, keepsReleasedTensors: false)
        let layer = try Linear(Weights(synthetic).scoped("proj"), in: 64, out: 40)
        guard case .float(let weight) = layer.storage else { Issue.record("quantised"); return }
        #expect(weight.dtype == .bf16)
        #expect(synthetic.tensors.map(\.name) == ["proj.bias", "proj.weight"])
    }
}
