package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code y = 1 / (1 + exp(-x))}. A primitive for numerical stability (no overflow for large |x|).
 */
public record Sigmoid() implements Elementwise {
  @Override
  public String name() {
    return "sigmoid";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.sigmoid(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g y (1 - y)
    Tensor y = g.output();
    return List.of(Ops.mul(g.upstream(), Ops.mul(y, Ops.sub(Ops.scalarLike(y, 1), y))));
  }
}
