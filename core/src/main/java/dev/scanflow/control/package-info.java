/**
 * {@link dev.scanflow.control.Scans}: TensorFlow's {@code scan} and a general form, differentiable.
 *
 * <h2>Execution</h2>
 *
 * A scan is one node whose body is a frame traced once from the lambda. Its inputs are the initial
 * carries, the scanned sequences and the captured outer tensors; its outputs are the final carries,
 * the per-step outputs stacked along a new first dimension, and the carries entering each step (the
 * history). On each step the node runs the body's cached {@link dev.scanflow.exec.Plan} on the
 * carry, one row of each sequence and the captured values. The length is read at run time; a length
 * of 0 returns the initial carry and empty {@code [0, ...]} stacks. Outputs that no consumer reads
 * (typically the history, when nobody differentiates) are not recorded.
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
 */
package dev.scanflow.control;
