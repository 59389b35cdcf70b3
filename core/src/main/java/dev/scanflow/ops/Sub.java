package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x - y}, broadcasting. A primitive to save a negation per use. */
public record Sub() implements Binary {
  @Override
  public String name() {
    return "sub";
  }

  @Override
  public INDArray apply(INDArray x, INDArray y, long[] shape) {
    return x.sub(y);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g, dy = -g
    return List.of(g.upstream(), Ops.neg(g.upstream()));
  }
}
