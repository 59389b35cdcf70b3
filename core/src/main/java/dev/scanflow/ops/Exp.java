package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = exp(x)}. */
public record Exp() implements Elementwise {
  @Override
  public String name() {
    return "exp";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.exp(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g y
    return List.of(Ops.mul(g.upstream(), g.output()));
  }
}
