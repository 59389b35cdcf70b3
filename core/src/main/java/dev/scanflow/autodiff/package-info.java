/**
 * Reverse-mode differentiation that adds gradient nodes to the graph.
 *
 * <h2>Driver</h2>
 *
 * {@link dev.scanflow.autodiff.Gradients#of} works inside one frame: it marks the nodes that depend
 * on some requested tensor, walks the frame backwards (node ids are a topological order), sums the
 * gradient contributions of each output (fan-out), asks each op's rule for its inputs' gradients,
 * checks that the rule returned one per input, and sums gradients of broadcasting ops back to their
 * input's shape with {@code sum_to_shape_of}. A {@code null} gradient is a symbolic zero: no array
 * is allocated. {@code stop_gradient} and non-floating tensors end the walk. Tensors of an outer
 * frame are differentiated through their capture nodes. Since rules only build ordinary nodes, the
 * gradient graph can itself be differentiated.
 */
package dev.scanflow.autodiff;
