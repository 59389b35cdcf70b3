/**
 * The graph: {@link dev.scanflow.graph.Graph}, {@link dev.scanflow.graph.Tensor} (a handle to one
 * output of a {@link dev.scanflow.graph.Node}), {@link dev.scanflow.graph.Shape} (dimensions may be
 * unknown until run time), {@link dev.scanflow.graph.DType}, name scopes and variable scopes.
 *
 * <h2>Frames</h2>
 *
 * A graph is built in frames: the top level, and one frame per scan body, traced once from the
 * user's lambda. A body may use any tensor of an enclosing frame; the first use adds a capture node
 * to the body and the outer tensor becomes an explicit input of the scan node. Tensors of a body
 * cannot be used after the body is traced (the frame is sealed). Variables are always created at
 * the top level, even from inside a body, so the seed's {@code get_variable} inside its step
 * function works unchanged.
 */
package dev.scanflow.graph;
