import Foundation
import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The SigLIP tower and the aligner against the golden `siglip.encoder` case (tiny
/// Janus-Pro checkpoint, float32 reference).
@Suite struct VisionSigLIPTests {
    static let encoderCase = "siglip.encoder"

    @Test func featuresOfEveryImageMatchTheReference() throws {
        let tower = try VisionGolden.tower()
        let pixels = try VisionGolden.pixels(Self.encoderCase)
        #expect(pixels.shape == [6, 3, 96, 96])
        let features = try tower.encode(pixels: pixels)
        try VisionGolden.reference(Self.encoderCase, "features").expectMatches(features)
    }

    @Test func alignedFeaturesMatchTheReference() throws {
        let encoder = try ImageEncoder(weights: VisionGolden.checkpointWeights(),
                                       configuration: VisionGolden.configuration())
        let embeddings = try encoder.embeddings(pixels: VisionGolden.pixels(Self.encoderCase))
        try VisionGolden.reference(Self.encoderCase, "aligned").expectMatches(embeddings)
    }

    /// The debug tensors cover the first two images: patch embedding, + positions, and
    /// the output of each block, so a mismatch names the stage that diverges.
    @Test func intermediateStagesMatchTheReference() throws {
        let tower = try VisionGolden.tower()
        let pixels = try VisionGolden.pixels(Self.encoderCase).rows(0..<2).copy()
        try VisionGolden.reference(Self.encoderCase, "debug_patch_embed").expectMatches(tower.patchEmbed(pixels))
        let embeddings = tower.embed(pixels)
        try VisionGolden.reference(Self.encoderCase, "debug_embeddings").expectMatches(embeddings)
        #expect(tower.blocks.count == 2)
        let block0 = tower.blocks[0](embeddings)
        try VisionGolden.reference(Self.encoderCase, "debug_block0").expectMatches(block0)
        try VisionGolden.reference(Self.encoderCase, "debug_block1").expectMatches(tower.blocks[1](block0))
    }

    /// Each image alone gives the same features as in the batch of six.
    @Test func imagesAreEncodedIndependentlyOfTheirBatch() throws {
        let tower = try VisionGolden.tower()
        let pixels = try VisionGolden.pixels(Self.encoderCase)
        let reference = try VisionGolden.reference(Self.encoderCase, "features")
        let expected = try reference.load()
        for image in 0..<pixels.shape[0] {
            let features = try tower.encode(pixels: pixels.rows(image..<(image + 1)))
            expectClose(actual: features, expected: expected.rows(image..<(image + 1)).copy(),
                        atol: reference.absolute, rtol: reference.relative, "image \(image) encoded alone")
        }
    }

    @Test func towerShapesFollowTheConfiguration() throws {
        let tower = try VisionGolden.tower()
        let c = tower.configuration
        #expect(c.gridSize == 6 && c.numImageTokens == 36)
        #expect(tower.posEmbed.shape == [1, 36, 64])
        #expect(tower.patchEmbed.proj.weight.shape == [64, 3, 16, 16])
        #expect(tower.patchEmbed.proj.stride == 16)
        #expect(tower.blocks.allSatisfy { $0.attn.heads == 4 && $0.mlp.fc1.outFeatures == 256 })
        #expect(tower.norm.eps == 1e-6)
    }
}

/// `select_layer` as `create_siglip_vit` applies it: by building fewer blocks, with the
/// final LayerNorm still applied.
@Suite struct VisionSelectLayerTests {
    static func configuration(layers: Int, selectLayer: Int, modelName: String = "siglip_large_patch16_384")
        throws -> VisionConfiguration {
        let json = """
            {"model_name": "\(modelName)", "image_size": 96, "select_layer": \(selectLayer),
             "select_feature": "same", "width": 64, "layers": \(layers), "heads": 4, "patch_size": 16}
            """
        return try JSONDecoder().decode(VisionConfiguration.self, from: Data(json.utf8))
    }

    @Test(arguments: [(-1, 24), (-2, 23), (-24, 1), (0, 24), (1, 1), (12, 12), (23, 23)])
    func depthForSelectLayer(selectLayer: Int, depth: Int) throws {
        let c = try Self.configuration(layers: 24, selectLayer: selectLayer)
        #expect(SigLIPVisionTower.depth(for: c) == depth)
    }

    @Test func truncatedTowerRunsTheFirstBlocksThenTheFinalNorm() throws {
        var c = try VisionGolden.configuration().vision.params
        c.selectLayer = -2
        let weights = try VisionGolden.checkpointWeights().scoped("vision_model.vision_tower")
        let tower = try SigLIPVisionTower(weights: weights, configuration: c)
        #expect(tower.blocks.count == 1)
        let pixels = try VisionGolden.pixels(VisionSigLIPTests.encoderCase).rows(0..<2).copy()
        let block0 = try VisionGolden.reference(VisionSigLIPTests.encoderCase, "debug_block0").load()
        let expected = tower.norm(block0.copy())
        expectClose(actual: try tower.encode(pixels: pixels), expected: expected, atol: 2e-4, rtol: 1e-4, "select_layer -2")
    }

    /// `select_feature` "patch" would drop a class token; SigLIP towers have none and the
    /// reference forces "same", so every patch is kept whatever the config says.
    @Test func selectFeatureDoesNotDropTokensOfSigLIP() throws {
        var c = try VisionGolden.configuration().vision.params
        c.selectFeature = "patch"
        let weights = try VisionGolden.checkpointWeights().scoped("vision_model.vision_tower")
        let tower = try SigLIPVisionTower(weights: weights, configuration: c)
        let features = try tower.encode(pixels: VisionGolden.pixels(VisionSigLIPTests.encoderCase))
        try VisionGolden.reference(VisionSigLIPTests.encoderCase, "features").expectMatches(features)
    }

    @Test func nonSigLIPTowersAreRejected() throws {
        let c = try Self.configuration(layers: 2, selectLayer: -1, modelName: "sam_b_downsample")
        let weights = try VisionGolden.checkpointWeights().scoped("vision_model.vision_tower")
        #expect(throws: VisionError.unsupportedModel("sam_b_downsample")) {
            _ = try SigLIPVisionTower(weights: weights, configuration: c)
        }
    }

    @Test func missingWeightsNameTheirKey() throws {
        let c = try Self.configuration(layers: 2, selectLayer: -1)
        let error = try #require(throws: CheckpointError.self) {
            _ = try SigLIPVisionTower(weights: Weights(InMemoryWeights(), prefix: "vision_model.vision_tower"),
                                      configuration: c)
        }
        #expect(error.key == "vision_model.vision_tower.patch_embed.proj.weight")
    }
}

/// Pixels may arrive from a remote caller: wrong shapes and dtypes are errors.
@Suite struct VisionInputTests {
    @Test(arguments: [
        [3, 96, 96],          // one image without the batch axis
        [1, 1, 3, 96, 96],    // [b, n, 3, S, S] not flattened
        [1, 1, 96, 96],       // grey
        [1, 4, 96, 96],       // RGBA
        [1, 96, 96, 3],       // NHWC
        [1, 3, 95, 96],
        [1, 3, 96, 64],
        [2, 3, 384, 384],     // the real model's size, not this tower's
    ])
    func wrongPixelShapesThrow(shape: [Int]) throws {
        let encoder = try ImageEncoder(weights: VisionGolden.checkpointWeights(),
                                       configuration: VisionGolden.configuration())
        let pixels = Tensor(zeros: shape)
        #expect(throws: VisionError.pixelShape(expected: "[B, 3, 96, 96]", got: shape)) {
            _ = try encoder.embeddings(pixels: pixels)
        }
    }

    @Test func integerPixelsThrow() throws {
        let tower = try VisionGolden.tower()
        #expect(throws: VisionError.pixelDType(.u8)) {
            _ = try tower.encode(pixels: Tensor(zeros: [1, 3, 96, 96], dtype: .u8))
        }
    }

    @Test func errorsDescribeTheProblem() {
        let error = VisionError.pixelShape(expected: "[B, 3, 96, 96]", got: [1, 96, 96, 3])
        #expect(error.description == "pixel values must be [B, 3, 96, 96], got [1, 96, 96, 3]")
    }

    /// bf16 pixels are widened; an unaligned f32 view (as mapped from a file) is copied.
    @Test func otherFloatLayoutsAreAccepted() throws {
        let tower = try VisionGolden.tower()
        let pixels = try VisionGolden.pixels(VisionSigLIPTests.encoderCase).rows(0..<1).copy()
        let expected = try tower.encode(pixels: pixels)

        let bytes = TensorStorage(zeroedByteCount: pixels.byteCount + 2)
        (bytes.baseAddress + 2).copyMemory(from: pixels.baseAddress, byteCount: pixels.byteCount)
        let unaligned = Tensor(storage: bytes, byteOffset: 2, dtype: .f32, shape: pixels.shape)
        expectClose(actual: try tower.encode(pixels: unaligned), expected: expected, atol: 0, rtol: 0, "unaligned f32")

        let narrowed = pixels.converted(to: .bf16)
        let widened = try tower.encode(pixels: narrowed.converted(to: .f32))
        expectClose(actual: try tower.encode(pixels: narrowed), expected: widened, atol: 0, rtol: 0, "bf16")
    }

    @Test func anEmptyBatchGivesNoEmbeddings() throws {
        let encoder = try ImageEncoder(weights: VisionGolden.checkpointWeights(),
                                       configuration: VisionGolden.configuration())
        let embeddings = try encoder.embeddings(pixels: Tensor(zeros: [0, 3, 96, 96]))
        #expect(embeddings.shape == [0, 36, 64])
    }
}

/// The image embeddings of the understanding cases: `aligner(vision_model(pixels))`.
@Suite struct VisionUnderstandingTests {
    @Test(arguments: ["understanding.single_image", "understanding.two_images"])
    func imageEmbeddingsMatchTheReference(caseName: String) throws {
        let encoder = try ImageEncoder(weights: VisionGolden.checkpointWeights(),
                                       configuration: VisionGolden.configuration())
        let pixels = try VisionGolden.pixels(caseName)
        let embeddings = try encoder.embeddings(pixels: pixels)
        #expect(embeddings.shape == [pixels.shape[0], encoder.numImageTokens, 64])
        try VisionGolden.reference(caseName, "image_embeds").expectMatches(embeddings)
    }

    /// Each image's embedding mask is all ones: every one of its tokens is spliced.
    @Test(arguments: ["understanding.single_image", "understanding.two_images"])
    func everyImageTokenIsUsed(caseName: String) throws {
        let encoder = try ImageEncoder(weights: VisionGolden.checkpointWeights(),
                                       configuration: VisionGolden.configuration())
        let mask = try VisionGolden.reference(caseName, "images_emb_mask").load()
        #expect(mask.shape == [try VisionGolden.pixels(caseName).shape[0], encoder.numImageTokens])
        #expect(mask.integers().allSatisfy { $0 == 1 })
    }
}

/// What the integrator's prompt splicing must reproduce (`prepare_inputs_embeds`): the
/// image embeddings, image after image, fill the `images_seq_mask` rows of the prompt
/// in order; every other row is the token embedding of `input_ids`.
@Suite struct VisionPromptSplicingTests {
    @Test(arguments: ["understanding.single_image", "understanding.two_images"])
    func imageEmbeddingsFillTheMaskedPromptRowsInOrder(caseName: String) throws {
        let weights = try VisionGolden.checkpointWeights()
        let encoder = try ImageEncoder(weights: weights, configuration: VisionGolden.configuration())
        let embeddings = try encoder.embeddings(pixels: VisionGolden.pixels(caseName))
        let hidden = embeddings.shape[2]
        let table = try weights("language_model.model.embed_tokens.weight", shape: [3072, hidden]).floats()

        let ids = try VisionGolden.reference(caseName, "input_ids").load().integers()
        let mask = try VisionGolden.reference(caseName, "images_seq_mask").load().integers()
        let imageRows = embeddings.floats()
        var spliced: [Float] = []
        var nextImageRow = 0
        for (id, isImage) in zip(ids, mask) {
            if isImage != 0 {
                spliced += imageRows[(nextImageRow * hidden)..<((nextImageRow + 1) * hidden)]
                nextImageRow += 1
            } else {
                let row = Int(id)
                spliced += table[(row * hidden)..<((row + 1) * hidden)]
            }
        }
        #expect(nextImageRow == embeddings.shape[0] * embeddings.shape[1])
        let reference = try VisionGolden.reference(caseName, "inputs_embeds")
        try reference.expectMatches(Tensor(shape: [ids.count, hidden], spliced))
    }
}
