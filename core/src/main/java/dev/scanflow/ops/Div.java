package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x / y}, broadcasting. */
public record Div() implements Binary {
  @Override
  public String name() {
    return "div";
  }

  @Override
  public INDArray apply(INDArray x, INDArray y, long[] shape) {
    return x.div(y);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g / y, dy = -g z / y
    Tensor dx = Ops.div(g.upstream(), g.input(1));
    return List.of(dx, Ops.neg(Ops.mul(dx, g.output())));
  }
}
