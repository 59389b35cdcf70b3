package dev.scanflow.train;

import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping with TensorFlow's formulas. */
public final class Clipping {
  private Clipping() {}

  /** The clipped tensors and the global norm before clipping. */
  public record Clipped(List<Tensor> tensors, Tensor globalNorm) {}

  /**
   * TensorFlow's {@code clip_by_global_norm}: {@code g = sqrt(sum_i ||t_i||^2)}; each {@code t_i *
   * c / max(g, c)}. {@code null} entries stay {@code null}. A non-finite {@code g} makes every
   * entry NaN, as in TensorFlow.
   */
  public static Clipped clipByGlobalNorm(List<Tensor> tensors, double clipNorm) {
    if (!(clipNorm > 0)) {
      throw new IllegalArgumentException(
          "clipByGlobalNorm: clip norm must be > 0, got " + clipNorm);
    }
    Tensor sumSq = null;
    for (Tensor t : tensors) {
      if (t == null) {
        continue;
      }
      Tensor s = Ops.reduceSum(Ops.square(t), false);
      sumSq =
          sumSq == null
              ? s
              : Ops.add(sumSq, s.dtype() == sumSq.dtype() ? s : Ops.cast(s, sumSq.dtype()));
    }
    if (sumSq == null) {
      throw new GraphException("clipByGlobalNorm: every tensor is null");
    }
    Tensor norm = Ops.sqrt(sumSq);
    // scale = c * min(1/g, 1/c) + (g - g): the last term turns an infinite or NaN norm into NaN
    Tensor scale =
        Ops.add(
            Ops.mul(
                Ops.scalarLike(norm, clipNorm),
                Ops.minimum(
                    Ops.div(Ops.scalarLike(norm, 1), norm), Ops.scalarLike(norm, 1 / clipNorm))),
            Ops.sub(norm, norm));
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : tensors) {
      out.add(
          t == null
              ? null
              : Ops.mul(t, t.dtype() == scale.dtype() ? scale : Ops.cast(scale, t.dtype())));
    }
    return new Clipped(out, norm);
  }

  /** Elementwise {@code min(max(t, lo), hi)}. */
  public static Tensor clipByValue(Tensor t, double lo, double hi) {
    if (!(lo <= hi)) {
      throw new IllegalArgumentException("clipByValue: need lo <= hi, got " + lo + ", " + hi);
    }
    return Ops.minimum(Ops.maximum(t, Ops.scalarLike(t, lo)), Ops.scalarLike(t, hi));
  }

  /** TensorFlow's {@code clip_by_norm}: {@code t * c / max(||t||, c)}. */
  public static Tensor clipByNorm(Tensor t, double clipNorm) {
    if (!(clipNorm > 0)) {
      throw new IllegalArgumentException("clipByNorm: clip norm must be > 0, got " + clipNorm);
    }
    Tensor norm = Ops.norm(t);
    Tensor c = Ops.scalarLike(t, clipNorm);
    return Ops.div(Ops.mul(t, c), Ops.maximum(norm, c));
  }
}
