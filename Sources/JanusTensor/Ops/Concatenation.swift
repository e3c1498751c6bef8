/// `torch.cat([a, b], dim=-1)`: `[..., Ca]` and `[..., Cb]` (f32, same leading shape)
/// → `[..., Ca + Cb]`.
public func concatenateLastAxis(_ a: Tensor, _ b: Tensor) -> Tensor {
    let op = "concatenateLastAxis"
    precondition(a.rank >= 1 && a.rank == b.rank && a.shape.dropLast() == b.shape.dropLast(),
                 "\(op): \(a.shape) and \(b.shape) differ before the last axis")
    let (first, second) = (a.rowLength, b.rowLength)
    let output = Tensor(zeros: a.shape.dropLast() + [first + second])
    let outputs = output.mutableFloats(for: op, expectedShape: output.shape)
    let (left, right) = (a.floats(for: op, "first"), b.floats(for: op, "second"))
    for row in 0..<a.rowCount {
        (outputs + row * (first + second)).update(from: left + row * first, count: first)
        (outputs + row * (first + second) + first).update(from: right + row * second, count: second)
    }
    return output
}
