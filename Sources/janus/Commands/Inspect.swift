import ArgumentParser
import Foundation
import JanusCheckpoint
import JanusModels

/// `janus inspect`: what a checkpoint directory holds, for users checking a download and
/// for comparing two formats of one checkpoint.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a checkpoint's configuration and tensor inventory.")

    @Option(name: .long, help: "Checkpoint directory (config.json + weights).")
    var model: String

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(help: "Add the SHA-256 of each tensor's stored bytes.")
    var checksums = false

    func run() throws {
        let checkpoint = try Checkpoint.open(directory: model)
        let config = try ConfigSummary.load(directory: model)
        let tensors = try checkpoint.inventory.map { info in
            TensorRow(info: info, sha256: checksums ? try checkpoint.sha256(of: info.name) : nil)
        }
        let report = InspectReport(directory: model, format: checkpoint.format.rawValue,
                                   config: config, tensors: tensors)
        if json {
            try printJSON(report)
        } else {
            print(report.text)
        }
    }
}

struct InspectReport: Encodable {
    let directory: String
    let format: String
    let config: ConfigSummary
    let tensors: [TensorRow]
    let tensorCount: Int
    let totalBytes: Int

    enum CodingKeys: String, CodingKey {
        case directory, format, config, tensors, tensorCount = "tensor_count", totalBytes = "total_bytes"
    }

    init(directory: String, format: String, config: ConfigSummary, tensors: [TensorRow]) {
        self.directory = directory
        self.format = format
        self.config = config
        self.tensors = tensors
        tensorCount = tensors.count
        totalBytes = tensors.reduce(0) { $0 + $1.bytes }
    }

    var text: String {
        var lines = ["checkpoint  \(directory) (\(format))"]
        lines += config.lines
        lines.append("tensors     \(tensorCount), \(totalBytes) bytes (\(formatBytes(totalBytes)))")
        lines.append("")
        let nameWidth = tensors.map(\.name.count).max() ?? 4
        let shapeWidth = tensors.map { $0.shapeText.count }.max() ?? 5
        for row in tensors {
            var line = row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            line += "  " + row.dtype.padding(toLength: 5, withPad: " ", startingAt: 0)
            line += "  " + row.shapeText.padding(toLength: shapeWidth, withPad: " ", startingAt: 0)
            line += "  " + String(row.bytes).leftPadded(to: 12)
            line += "  " + row.file
            if let sha = row.sha256 { line += "  " + sha }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

struct TensorRow: Encodable {
    let name: String
    let dtype: String
    let shape: [Int]
    let bytes: Int
    let file: String
    let sha256: String?

    init(info: TensorInfo, sha256: String?) {
        name = info.name
        dtype = info.dtype.rawValue
        shape = info.shape
        bytes = info.byteCount
        file = info.file
        self.sha256 = sha256
    }

    var shapeText: String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}

/// The sizes that matter when serving, flattened from the typed configuration.
struct ConfigSummary: Encodable {
    let modelType: String
    let torchDtype: String?
    let language: [String: Double]?
    let vision: [String: Double]?
    let generation: [String: Double]

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", torchDtype = "torch_dtype", language, vision, generation
    }

    /// The summary of whatever kind of checkpoint `directory` holds.
    static func load(directory: String) throws -> ConfigSummary {
        switch try ModelKind.detect(directory: directory) {
        case .janus: ConfigSummary(try JanusConfiguration.load(directory: directory))
        case .janusFlow: ConfigSummary(try JanusFlowConfiguration.load(directory: directory))
        case .vae: ConfigSummary(try AutoencoderKLConfiguration.load(directory: directory))
        }
    }

    init(_ config: JanusConfiguration) {
        modelType = config.modelType
        torchDtype = config.torchDtype
        language = Self.summary(config.language)
        vision = Self.summary(config.vision.params)
        let vq = config.genVision.params
        generation = [
            "image_size": Double(vq.imageSize), "grid": Double(vq.gridSize),
            "codebook_size": Double(vq.codebookSize), "codebook_dim": Double(vq.codebookDim),
            "decoder_channels": Double(vq.ch), "z_channels": Double(vq.zChannels),
            "head_width": Double(config.genHead.params.imageTokenEmbed),
        ]
    }

    init(_ config: JanusFlowConfiguration) {
        modelType = config.modelType
        torchDtype = config.torchDtype
        language = Self.summary(config.language)
        vision = Self.summary(config.understandingVision.params)
        let encoder = config.generationEncoder.params
        generation = [
            "latent_channels": Double(config.latentChannels), "latent_size": Double(config.latentSize),
            "grid": Double(config.gridSize), "image_tokens": Double(config.imageTokenCount),
            "uvit_hidden": Double(encoder.hiddenSize), "uvit_blocks": Double(encoder.layersInMiddle),
        ]
    }

    init(_ config: AutoencoderKLConfiguration) {
        modelType = config.className
        torchDtype = nil
        language = nil
        vision = nil
        generation = [
            "latent_channels": Double(config.latentChannels), "levels": Double(config.blockOutChannels.count),
            "widest_channels": Double(config.blockOutChannels.max() ?? 0),
            "layers_per_block": Double(config.layersPerBlock), "sample_size": Double(config.sampleSize),
            "scaling_factor": shortest(config.scalingFactor),
        ]
    }

    private static func summary(_ lm: LanguageConfiguration) -> [String: Double] {
        [
            "layers": Double(lm.numHiddenLayers), "hidden_size": Double(lm.hiddenSize),
            "intermediate_size": Double(lm.intermediateSize), "heads": Double(lm.numAttentionHeads),
            "kv_heads": Double(lm.numKeyValueHeads), "vocab_size": Double(lm.vocabSize),
            "max_positions": Double(lm.maxPositionEmbeddings), "rope_theta": shortest(lm.ropeTheta),
            "rms_norm_eps": shortest(lm.rmsNormEps),
        ]
    }

    private static func summary(_ vit: VisionConfiguration) -> [String: Double] {
        [
            "image_size": Double(vit.imageSize), "patch_size": Double(vit.patchSize),
            "width": Double(vit.width), "layers": Double(vit.layers), "heads": Double(vit.heads),
            "mlp_dim": Double(vit.mlpDim), "image_tokens": Double(vit.numImageTokens),
        ]
    }

    var lines: [String] {
        func format(_ values: [String: Double]) -> String {
            values.sorted { $0.key < $1.key }.map { key, value in
                let rendered = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
                return "\(key)=\(rendered)"
            }.joined(separator: " ")
        }
        return [
            "model_type  \(modelType)" + (torchDtype.map { " (\($0))" } ?? ""),
            language.map { "language    \(format($0))" },
            vision.map { "vision      \(format($0))" },
            "generation  \(format(generation))",
        ].compactMap { $0 }
    }
}

/// The Double whose decimal form is the Float's shortest one (1e-06, not 9.99999997e-07).
private func shortest(_ value: Float) -> Double { Double(value.description) ?? Double(value) }

func formatBytes(_ count: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(count) B" : "\(String(format: "%.1f", value)) \(units[unit])"
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
