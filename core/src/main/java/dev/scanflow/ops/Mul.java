package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x * y}, broadcasting. */
public record Mul() implements Binary {
  @Override
  public String name() {
    return "mul";
  }

  @Override
  public INDArray apply(INDArray x, INDArray y, long[] shape) {
    return x.mul(y);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g y, dy = g x
    return List.of(Ops.mul(g.upstream(), g.input(1)), Ops.mul(g.upstream(), g.input(0)));
  }
}
