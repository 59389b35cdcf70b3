package dev.scanflow.train;

import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;

/**
 * TensorFlow 1's RMSProp: {@code ms = d ms + (1-d) g^2; mom = m mom + lr g / sqrt(ms + eps); w -=
 * mom}. As in TensorFlow 1, the mean-square slot {@code rms} starts at 1.
 */
public final class RMSProp extends Optimizer {
  private final double decay;
  private final double momentum;
  private final double epsilon;

  public RMSProp(Tensor learningRate) {
    this(learningRate, 0.9, 0.0, 1e-10);
  }

  public RMSProp(Tensor learningRate, double decay, double momentum, double epsilon) {
    super("RMSProp", learningRate);
    if (!(decay >= 0 && decay <= 1 && momentum >= 0 && epsilon >= 0)) {
      throw new IllegalArgumentException(
          "RMSProp: need 0 <= decay <= 1, momentum >= 0, epsilon >= 0");
    }
    this.decay = decay;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  @Override
  protected List<Tensor> update(Tensor w, Tensor g, Tensor lr) {
    Tensor ms = slot(w, "rms", 1);
    Tensor mom = slot(w, "momentum", 0);
    Tensor ms2 = ms.mul(decay).add(g.mul(g).mul(1 - decay));
    Tensor mom2 = mom.mul(momentum).add(lr.mul(g).div(Ops.sqrt(ms2.add(epsilon))));
    return List.of(Ops.assign(ms, ms2), Ops.assign(mom, mom2), Ops.assign(w, w.sub(mom2)));
  }
}
