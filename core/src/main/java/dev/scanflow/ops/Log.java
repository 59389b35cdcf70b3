package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = ln(x)}. */
public record Log() implements Elementwise {
  @Override
  public String name() {
    return "log";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.log(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g / x
    return List.of(Ops.div(g.upstream(), g.input(0)));
  }
}
