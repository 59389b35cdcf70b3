package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = floor(x)}. Piecewise constant: no gradient flows through it (as in TensorFlow). */
public record Floor() implements Elementwise {
  @Override
  public String name() {
    return "floor";
  }

  @Override
  public INDArray apply(INDArray x) {
    return Transforms.floor(x, true);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Collections.singletonList(null);
  }
}
