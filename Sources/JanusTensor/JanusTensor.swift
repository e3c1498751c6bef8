/// JanusTensor: the numeric core.
///
/// Owns dtypes, tensor storage (allocated or memory-mapped), conversions between
/// f32 / bf16 / f16, and the kernels the models are built from (matmul through
/// OpenBLAS `cblas_sgemm`, elementwise and reduction ops). It knows nothing about
/// checkpoints, models or processes.
public enum JanusTensorModule {}
