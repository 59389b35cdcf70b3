/**
 * {@link dev.scanflow.exec.Session} runs graphs: it compiles a {@link dev.scanflow.exec.Plan} per
 * (frame, fed tensors, fetched tensors), caches it, runs only the needed nodes in topological order
 * and drops each intermediate array after its last use. It holds variable values; every read in a
 * run sees the values from the start of the run and assignments apply when the run completes.
 *
 * <h2>Compiled frames</h2>
 *
 * {@link dev.scanflow.exec.CompiledFrame} is the fast path for scan bodies: for fixed source shapes
 * it turns a frame whose values are float32 into a list of kernels on plain float arrays, each
 * buffer allocated once, so a step issues no ND4J call, allocates nothing and does no planning.
 * Matrix products go to the {@link dev.scanflow.spi.Gemm} a backend registers (the CPU backend
 * calls OpenBLAS on direct buffers, with sgemv for vector products); products with a captured
 * operand load it once per scan, not once per step. A frame with an op or type it does not cover
 * runs on the generic {@link dev.scanflow.exec.Plan}, which stays the reference: the tests compare
 * the two on random shapes.
 */
package dev.scanflow.exec;
