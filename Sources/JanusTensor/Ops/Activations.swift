import CJanusKernels

/// SiLU (swish): `x / (1 + exp(-x))`.
public func silu(_ x: Tensor) -> Tensor { newOutput(x.shape) { silu(x, into: $0) } }
/// SiLU into `output`; `output` may be `x` itself (in place).
public func silu(_ x: Tensor, into output: Tensor) { unary(x, into: output, op: "silu", kernel: janus_silu) }

/// Exact GELU, `x/2 · (1 + erf(x/√2))` (`nn.GELU()`; SigLIP and the aligner MLPs).
public func gelu(_ x: Tensor) -> Tensor { newOutput(x.shape) { gelu(x, into: $0) } }
/// Exact GELU into `output`; `output` may be `x` itself (in place).
public func gelu(_ x: Tensor, into output: Tensor) { unary(x, into: output, op: "gelu", kernel: janus_gelu_erf) }

/// GELU with the tanh approximation (`nn.GELU(approximate="tanh")`).
public func geluTanh(_ x: Tensor) -> Tensor { newOutput(x.shape) { geluTanh(x, into: $0) } }
/// Tanh-approximate GELU into `output`; `output` may be `x` itself (in place).
public func geluTanh(_ x: Tensor, into output: Tensor) {
    unary(x, into: output, op: "geluTanh", kernel: janus_gelu_tanh)
}

/// The LLaMA MLP gate, `silu(gate) * up`, for same-shaped f32 tensors.
public func swiglu(gate: Tensor, up: Tensor) -> Tensor { newOutput(gate.shape) { swiglu(gate: gate, up: up, into: $0) } }

/// `silu(gate) * up` into `output`; `output` may be `gate` or `up` (in place).
public func swiglu(gate: Tensor, up: Tensor, into output: Tensor) {
    let op = "swiglu"
    precondition(gate.shape == up.shape, "\(op): gate \(gate.shape) and up \(up.shape) differ")
    let outputs = output.mutableFloats(for: op, expectedShape: gate.shape)
    requireSameOrDisjoint(output, gate, for: op)
    requireSameOrDisjoint(output, up, for: op)
    janus_swiglu(gate.floats(for: op, "gate"), up.floats(for: op, "up"), outputs, gate.elementCount)
}

private typealias UnaryKernel = (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void

private func unary(_ x: Tensor, into output: Tensor, op: String, kernel: UnaryKernel) {
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
    requireSameOrDisjoint(output, x, for: op)
    kernel(x.floats(for: op, "input"), outputs, x.elementCount)
}

