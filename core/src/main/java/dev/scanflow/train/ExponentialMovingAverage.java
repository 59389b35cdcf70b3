package dev.scanflow.train;

import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.ops.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow's {@code ExponentialMovingAverage}: {@code shadow -= (1 - d) (shadow - value)} with
 * {@code d = decay}, or {@code d = min(decay, (1 + n) / (10 + n))} given {@code numUpdates}. The
 * shadow of a variable starts at the variable's initial value; the shadow of any other tensor (a
 * loss) starts at 0, as in the seed. No bias correction.
 */
public final class ExponentialMovingAverage {
  private final double decay;
  private final Tensor numUpdates;
  private final Map<Tensor, Tensor> shadows = new LinkedHashMap<>();

  public ExponentialMovingAverage(double decay) {
    this(decay, null);
  }

  /** {@code numUpdates} (may be null) is a scalar tensor, typically the global step. */
  public ExponentialMovingAverage(double decay, Tensor numUpdates) {
    if (!(decay >= 0 && decay <= 1)) {
      throw new IllegalArgumentException(
          "ExponentialMovingAverage: decay must be in [0, 1], got " + decay);
    }
    this.decay = decay;
    this.numUpdates = numUpdates;
  }

  /** Creates shadows for {@code tensors} and returns the op that updates them all. */
  public Tensor apply(List<Tensor> tensors) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("ExponentialMovingAverage.apply: no tensors");
    }
    List<Tensor> updates = new ArrayList<>();
    for (Tensor t : tensors) {
      if (!t.dtype().isFloating() || !t.shape().isFullyKnown()) {
        throw new GraphException(
            "ExponentialMovingAverage: "
                + t
                + " must be floating with a known shape, got "
                + t.spec());
      }
      if (shadows.containsKey(t)) {
        throw new GraphException("ExponentialMovingAverage: " + t + " is averaged already");
      }
      Initializer init =
          t.node().op() instanceof Variable ? Initializer.copyOf(t) : Initializer.zeros();
      String base = t.node().op() instanceof Variable v ? v.fullName() : t.name().replace(':', '_');
      Tensor shadow =
          t.graph()
              .newVariable(base + "/ExponentialMovingAverage", t.shape(), t.dtype(), init, false);
      shadows.put(t, shadow);
      Tensor d = effectiveDecay(t);
      Tensor next = Ops.sub(shadow, Ops.mul(Ops.sub(Ops.scalarLike(d, 1), d), Ops.sub(shadow, t)));
      updates.add(Ops.assign(shadow, next));
    }
    return Ops.group("ema_update", updates);
  }

  private Tensor effectiveDecay(Tensor like) {
    Tensor d = Ops.scalarLike(like, decay);
    if (numUpdates == null) {
      return d;
    }
    Tensor n = Ops.cast(numUpdates, like.dtype());
    Tensor ratio = Ops.div(Ops.add(Ops.scalarLike(n, 1), n), Ops.add(Ops.scalarLike(n, 10), n));
    return Ops.minimum(d, ratio);
  }

  /**
   * The shadow variable of {@code t}; read it in the same run as the update to get the value before
   * it.
   */
  public Tensor average(Tensor t) {
    Tensor s = shadows.get(t);
    if (s == null) {
      throw new GraphException(
          "ExponentialMovingAverage: " + t + " has no average; call apply first");
    }
    return s;
  }
}
