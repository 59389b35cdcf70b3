package dev.scanflow.graph;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An operation: what a node computes. Implementations are immutable values (records) holding the
 * op's attributes; shape inference, the forward kernel and the gradient rule sit side by side.
 */
public interface Op {
  /** The op's name as used in errors and printed graphs, e.g. {@code matmul}. */
  String name();

  /**
   * The static types of the outputs given those of the inputs.
   *
   * @throws IllegalArgumentException with a message such as {@code matmul: inner dimensions differ:
   *     [1,256] x [128,256]}; the graph appends the node name
   */
  List<TensorSpec> inferShape(List<TensorSpec> inputs);

  /** Computes the outputs from the input arrays. Must not modify its inputs. */
  INDArray[] forward(ExecutionContext ctx, INDArray[] inputs);

  /**
   * As {@link #forward(ExecutionContext, INDArray[])}, told which outputs the plan uses; an op may
   * return {@code null} for the others (a scan skips recording what nobody reads).
   */
  default INDArray[] forward(ExecutionContext ctx, INDArray[] inputs, boolean[] needed) {
    return forward(ctx, inputs);
  }

  /**
   * The gradient rule: new graph nodes computing the gradient of each input from the upstream
   * gradients of the outputs. Returns one entry per input; {@code null} means no gradient flows to
   * that input.
   */
  List<Tensor> gradient(GradientContext g);

  /** Attributes printed after the op name in a graph listing; empty by default. */
  default String describeAttributes() {
    return "";
  }

  /** Whether the session may skip re-running this node (false for stateful ops). */
  default boolean isStateful() {
    return false;
  }
}
