/**
 * {@link dev.scanflow.control.Scans}: TensorFlow's {@code scan} and a general form, differentiable.
 *
 * <h2>Execution</h2>
 *
 * A scan is one node whose body is a frame traced once from the lambda. Its inputs are the initial
 * carries, the scanned sequences and the captured outer tensors; its outputs are the final carries,
 * the per-step outputs stacked along a new first dimension, and the carries entering each step (the
 * history). The length is read at run time; a length of 0 returns the initial carry and empty
 * {@code [0, ...]} stacks. Outputs that no consumer reads (typically the history, when nobody
 * differentiates) are not recorded. A scan runs one of three ways:
 *
 * <ol>
 *   <li>Inside a compiled request (the usual case for float32 models; see {@code
 *       dev.scanflow.exec}): the body is compiled once per shape into kernels on plain float arrays
 *       and {@link dev.scanflow.control.CompiledScan} loops over it, copying one row of each
 *       sequence in and the carry back per step. No buffer is allocated and no ND4J op runs per
 *       step.
 *   <li>In a request that does not compile but whose body does: the same loop, on arrays copied
 *       from and back to ND4J once per scan.
 *   <li>Otherwise, op by op: each step runs the body's cached {@link dev.scanflow.exec.Plan} on
 *       ND4J arrays. This generic path is the reference the others are tested against.
 * </ol>
 *
 * <h2>Gradient</h2>
 *
 * The gradient of a scan is another scan running the other way (backpropagation through time). The
 * forward scan saves the carry entering each step (O(T x carry) memory); the backward scan scans
 * over (upstream of the outputs, saved carries, inputs), re-traces the forward step on the saved
 * carry and differentiates it. Its carry is the gradient of the carry plus running sums of the
 * captured tensors' gradients; its per-step outputs are the gradients of the scanned inputs. So the
 * session needs no special BPTT path, nested and stacked scans differentiate by the same rule, and
 * so does the backward scan itself (second order). Memory for the backward pass is O(T x carry) for
 * the saved carries plus O(T x element) for the gradients of the scanned inputs; captured tensors'
 * gradients are summed in the carry, not stored per step.
 *
 * <p>Two rewrites keep the backward step cheap, for any body:
 *
 * <ul>
 *   <li><b>Saved outputs instead of recomputation.</b> The carry a step returns is the next step's
 *       saved carry, so the backward scan passes it along in its own carry and gradient rules read
 *       it there (through {@link dev.scanflow.autodiff.GradientContext}'s known values) instead of
 *       re-running the nodes that computed it. For {@code tanh(h W + x U + b)}, whose gradient
 *       needs only the output, the re-traced step then does no product and no tanh at all.
 *   <li><b>Weight gradients after the loop.</b> A captured matrix's per-step gradient of the form
 *       {@code a^T b} is not summed in the carry; the factors are emitted per step and multiplied
 *       once after the loop, one large product instead of T outer products.
 * </ul>
 */
package dev.scanflow.control;
