package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = tanh(x)}. */
public record Tanh() implements Elementwise {
  @Override
  public String name() {
    return "tanh";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.tanh(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g (1 - y^2)
    Tensor y = g.output();
    return List.of(Ops.mul(g.upstream(), Ops.sub(Ops.scalarLike(y, 1), Ops.mul(y, y))));
  }
}
