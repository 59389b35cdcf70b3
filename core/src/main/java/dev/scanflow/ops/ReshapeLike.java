package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x} reshaped to the run-time shape of {@code ref}. The gradient of reshapes. */
public record ReshapeLike() implements Op {
  @Override
  public String name() {
    return "reshape_like";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    long a = in.get(0).shape().size();
    long b = in.get(1).shape().size();
    if (a >= 0 && b >= 0 && a != b) {
      throw new IllegalArgumentException(
          "reshape_like: " + in.get(0).shape() + " and " + in.get(1).shape() + " differ in size");
    }
    return Kernels.one(in.get(1).shape(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    return new INDArray[] {ShapeKernels.reshape(in[0], in[1].shape())};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Arrays.asList(Ops.reshapeLike(g.upstream(), g.input(0)), null);
  }
}
