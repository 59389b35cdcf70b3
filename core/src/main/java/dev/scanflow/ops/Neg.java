package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code y = -x}. */
public record Neg() implements Elementwise {
  @Override
  public String name() {
    return "neg";
  }

  @Override
  public INDArray apply(INDArray x) {
    return x.neg();
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = -g
    return List.of(Ops.neg(g.upstream()));
  }
}
