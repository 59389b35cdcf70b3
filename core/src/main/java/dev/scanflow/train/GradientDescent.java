package dev.scanflow.train;

import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;

/** Plain gradient descent: {@code w -= lr * g}. */
public final class GradientDescent extends Optimizer {
  public GradientDescent(Tensor learningRate) {
    super("GradientDescent", learningRate);
  }

  @Override
  protected List<Tensor> update(Tensor w, Tensor g, Tensor lr) {
    return List.of(Ops.assign(w, w.sub(lr.mul(g))));
  }
}
