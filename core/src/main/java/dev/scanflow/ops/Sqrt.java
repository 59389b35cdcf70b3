package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = sqrt(x)}. A primitive for accuracy and speed over {@code pow(x, 0.5)}. */
public record Sqrt() implements Elementwise {
  @Override
  public String name() {
    return "sqrt";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.sqrt(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g / (2 y)
    Tensor y = g.output();
    return List.of(Ops.div(g.upstream(), Ops.mul(y, Ops.scalarLike(y, 2))));
  }
}
