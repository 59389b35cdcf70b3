package dev.scanflow.train;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorFlow 1's Adam: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr_t m / (sqrt(v) +
 * eps)} with {@code lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)}. The powers {@code b1^t}, {@code b2^t}
 * are the variables {@code Adam/beta1_power} and {@code Adam/beta2_power}, updated once per step.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private Tensor beta1Power;
  private Tensor beta2Power;

  public Adam(Tensor learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8);
  }

  public Adam(Tensor learningRate, double beta1, double beta2, double epsilon) {
    super("Adam", learningRate);
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0)) {
      throw new IllegalArgumentException("Adam: need 0 <= beta1, beta2 < 1 and epsilon >= 0");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected List<Tensor> update(Tensor w, Tensor g, Tensor lr) {
    if (beta1Power == null) {
      beta1Power = scalarState(w.graph(), "beta1_power", DType.FLOAT64, beta1);
      beta2Power = scalarState(w.graph(), "beta2_power", DType.FLOAT64, beta2);
    }
    Tensor m = slot(w, "m", 0);
    Tensor v = slot(w, "v", 0);
    Tensor b1t = Ops.cast(beta1Power, w.dtype());
    Tensor b2t = Ops.cast(beta2Power, w.dtype());
    Tensor lrT =
        lr.mul(Ops.sqrt(Ops.scalarLike(b2t, 1).sub(b2t))).div(Ops.scalarLike(b1t, 1).sub(b1t));
    Tensor m2 = m.mul(beta1).add(g.mul(1 - beta1));
    Tensor v2 = v.mul(beta2).add(g.mul(g).mul(1 - beta2));
    Tensor step = lrT.mul(m2).div(Ops.sqrt(v2).add(epsilon));
    return List.of(Ops.assign(m, m2), Ops.assign(v, v2), Ops.assign(w, w.sub(step)));
  }

  @Override
  protected List<Tensor> finish() {
    List<Tensor> out = new ArrayList<>();
    if (beta1Power != null) {
      out.add(Ops.assign(beta1Power, beta1Power.mul(beta1)));
      out.add(Ops.assign(beta2Power, beta2Power.mul(beta2)));
      beta1Power = null;
      beta2Power = null;
    }
    return out;
  }
}
