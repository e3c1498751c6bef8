/// JanusCheckpoint: reading published checkpoints without Python.
///
/// Owns the safetensors and PyTorch `torch.save` (zip + pickle) readers, the sharded
/// index files, and the tensor inventory of a checkpoint directory. Tensors come back
/// as `JanusTensor.Tensor` views into memory-mapped files, in their stored dtype.
/// It does not interpret tensor names; model code does.
///
/// Entry points: `Checkpoint.open(directory:)` for a model directory (any of the four
/// Hugging Face layouts), `SafetensorsFile` / `TorchCheckpointFile` for single files,
/// `SafetensorsWriter` to write tensors, `sha256(file:)` / `SHA256Hasher` for hashes.
/// Every problem with a file surfaces as a `CheckpointError` naming the file and tensor.
///
/// Design choices:
/// - Files are validated completely when opened, so reading a tensor later cannot fail
///   on corrupt data (and `Tensor`'s preconditions never see file-derived values).
/// - Pickles run on a small VM with a whitelist of torch state-dict globals; nothing in
///   a `.bin` file can cause code to run.
/// - PyTorch tensors saved as non-contiguous views are materialised as contiguous
///   copies when read; everything else is zero-copy.
public enum JanusCheckpointModule {}
