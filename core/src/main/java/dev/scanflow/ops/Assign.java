package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code variable := value}. Outputs the new value. Every read in a run sees the values from the
 * start of the run; assignments take effect when the run completes.
 */
public record Assign(Node variable) implements Op {
  @Override
  public String name() {
    return "assign";
  }

  @Override
  public String describeAttributes() {
    return variable.name();
  }

  @Override
  public boolean isStateful() {
    return true;
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    TensorSpec v = variable.outputSpecs().get(0);
    if (in.get(0).dtype() != v.dtype() || !in.get(0).shape().isCompatibleWith(v.shape())) {
      throw new IllegalArgumentException(
          "assign: value " + in.get(0) + " does not fit variable " + variable.name() + " " + v);
    }
    return List.of(v);
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    long[] expected = variable.outputSpecs().get(0).shape().dims();
    if (!Arrays.equals(expected, in[0].shape())) {
      throw new IllegalArgumentException(
          "assign: value of shape "
              + Shape.format(in[0].shape())
              + " does not fit variable "
              + variable.name()
              + " "
              + Shape.format(expected));
    }
    ctx.assign(variable, in[0]);
    return new INDArray[] {in[0]};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Collections.singletonList(null);
  }
}
