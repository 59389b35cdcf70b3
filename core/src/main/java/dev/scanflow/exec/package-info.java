/**
 * {@link dev.scanflow.exec.Session} runs graphs: it compiles a {@link dev.scanflow.exec.Plan} per
 * (frame, fed tensors, fetched tensors), caches it, runs only the needed nodes in topological order
 * and drops each intermediate array after its last use. It holds variable values; every read in a
 * run sees the values from the start of the run and assignments apply when the run completes.
 *
 * <h2>Compiled frames</h2>
 *
 * {@link dev.scanflow.exec.CompiledFrame} is the fast path. For the concrete shapes of a request it
 * turns a frame whose values are float32 (booleans and integers below 2^24 ride along as floats)
 * into a list of kernels on plain float arrays, scan bodies included as nested frames, so a
 * training step issues no ND4J op, allocates no buffers and does no planning (a product split over
 * threads creates a few small task objects). A frame with an op or type it does not cover runs on
 * the generic {@link dev.scanflow.exec.Plan}, which stays the reference: the tests compare the two
 * on random shapes, batches above 1 and lengths 0 and 1. {@code -Dscanflow.compiled=false} turns
 * the fast path off. What it does:
 *
 * <ul>
 *   <li><b>Buffers.</b> Each buffer is allocated when the frame compiles. Slots whose lifetimes do
 *       not overlap share one; a reshape, identity or assignment is its input's buffer, not a copy;
 *       outputs nobody reads (a scan's unread history) get none. The session's top-level requests,
 *       which run one at a time, share their buffers across shapes, so one compiled training step
 *       per sequence length costs little more memory than one.
 *   <li><b>Products.</b> Matrix products go to the {@link dev.scanflow.spi.Gemm} a backend
 *       registers. The CPU backend calls OpenBLAS on direct buffers (sgemv for vector products) and
 *       cuts products of two million multiply-adds or more into column blocks on helper threads.
 *       Each operand is copied to its direct buffer once per run however many products read it; a
 *       scan's captured weights once per scan. Where the backend takes heap arrays ({@link
 *       dev.scanflow.spi.Gemm#takesArrays}: the CPU backend's Vector API kernels for batches of 4
 *       to 64 rows), the product runs on the frame's own arrays with no copy, a captured matrix
 *       used transposed being transposed once per scan. Products with an inner dimension of 1 are
 *       outer products written as plain loops.
 *   <li><b>Element-wise kernels.</b> Add, subtract and multiply on equal shapes, against a scalar
 *       or against a repeated row (a bias) are loops the JIT vectorises; tanh is a rational
 *       approximation (a few ulp) with no call per element.
 *   <li><b>Variables</b> are updated in place in the session's own arrays.
 * </ul>
 *
 * <p>Not done: running carry-independent work ({@code x_t W_x} for all t) as one product before the
 * loop, which at the tutorial's input size of 1 is an outer product costing well under a
 * microsecond per step; fusing element-wise kernels into one pass; Vector API kernels beyond the
 * batch products.
 */
package dev.scanflow.exec;
