/// JanusCheckpoint: reading published checkpoints without Python.
///
/// Owns the safetensors and PyTorch `torch.save` (zip + pickle) readers, the sharded
/// index files, and the tensor inventory of a checkpoint directory. Tensors come back
/// as `JanusTensor.Tensor` views into memory-mapped files, in their stored dtype.
/// It does not interpret tensor names; model code does.
public enum JanusCheckpointModule {}
