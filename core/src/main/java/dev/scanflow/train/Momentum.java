package dev.scanflow.train;

import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;

/**
 * TensorFlow's momentum: {@code a = m a + g; w -= lr a}, or with Nesterov {@code w -= lr (g + m a)}
 * using the new {@code a}. The accumulator {@code a} is the slot {@code Momentum/accumulator}.
 */
public final class Momentum extends Optimizer {
  private final double momentum;
  private final boolean nesterov;

  public Momentum(Tensor learningRate, double momentum, boolean nesterov) {
    super("Momentum", learningRate);
    if (!(momentum >= 0)) {
      throw new IllegalArgumentException("Momentum: momentum must be >= 0, got " + momentum);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  protected List<Tensor> update(Tensor w, Tensor g, Tensor lr) {
    Tensor acc = slot(w, "accumulator", 0);
    Tensor next = acc.mul(momentum).add(g);
    Tensor step = nesterov ? g.add(next.mul(momentum)) : next;
    return List.of(Ops.assign(acc, next), Ops.assign(w, w.sub(lr.mul(step))));
  }
}
