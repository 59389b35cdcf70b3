package dev.scanflow.ops;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers shared by op kernels and shape rules. */
public final class Kernels {
  private Kernels() {}

  static List<TensorSpec> one(Shape shape, DType dtype) {
    return List.of(new TensorSpec(shape, dtype));
  }

  static void requireArity(String op, List<TensorSpec> in, int n) {
    if (in.size() != n) {
      throw new IllegalArgumentException(op + ": expects " + n + " inputs, got " + in.size());
    }
  }

  static void requireSameDType(String op, TensorSpec a, TensorSpec b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(
          op + ": input types differ: " + a.dtype() + " and " + b.dtype());
    }
  }

  static void requireFloating(String op, TensorSpec a) {
    if (!a.dtype().isFloating()) {
      throw new IllegalArgumentException(op + ": needs a floating-point input, got " + a.dtype());
    }
  }

  static Shape broadcast(String op, Shape a, Shape b) {
    Shape s = Shape.broadcast(a, b);
    if (s == null) {
      throw new IllegalArgumentException(op + ": shapes cannot broadcast: " + a + " and " + b);
    }
    return s;
  }

  static long[] broadcast(String op, long[] a, long[] b) {
    long[] s = Shape.broadcast(a, b);
    if (s == null) {
      throw new IllegalArgumentException(
          op + ": shapes cannot broadcast: " + Shape.format(a) + " and " + Shape.format(b));
    }
    return s;
  }

  static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** An empty array of a shape with a zero dimension. */
  static INDArray empty(INDArray like, long[] shape) {
    return Nd4j.create(like.dataType(), shape);
  }

  /** {@code a} broadcast to {@code shape} (a view or copy; never modified by callers). */
  static INDArray broadcastTo(INDArray a, long[] shape) {
    if (Arrays.equals(a.shape(), shape)) {
      return a;
    }
    INDArray r = a;
    if (a.rank() < shape.length) {
      long[] padded = new long[shape.length];
      Arrays.fill(padded, 1);
      System.arraycopy(a.shape(), 0, padded, shape.length - a.rank(), a.rank());
      r = a.reshape('c', padded);
    }
    return r.broadcast(shape);
  }

  /** Sums {@code g} over its broadcast dimensions so it takes the shape {@code target}. */
  static INDArray sumTo(INDArray g, long[] target) {
    if (Arrays.equals(g.shape(), target)) {
      return g;
    }
    int lead = g.rank() - target.length;
    int[] axes = new int[g.rank()];
    int n = 0;
    for (int i = 0; i < g.rank(); i++) {
      if (i < lead || (target[i - lead] == 1 && g.size(i) != 1)) {
        axes[n++] = i;
      }
    }
    INDArray r = g;
    if (n > 0) {
      r =
          size(g.shape()) == 0
              ? Nd4j.zeros(g.dataType(), keep(g.shape(), axes, n))
              : g.sum(true, Arrays.copyOf(axes, n));
    }
    return r.reshape('c', target);
  }

  private static long[] keep(long[] shape, int[] axes, int n) {
    long[] s = shape.clone();
    for (int i = 0; i < n; i++) {
      s[axes[i]] = 1;
    }
    return s;
  }

  static int normalizeAxis(String op, int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  /**
   * Axes made non-negative, checked and sorted; no axes means all of them. Errors name {@code op}.
   */
  public static int[] normalizeAxes(String op, int[] axes, int rank) {
    if (axes.length == 0) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = normalizeAxis(op, axes[i], rank);
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new IllegalArgumentException(op + ": axis " + axes[i] + " repeated");
        }
      }
    }
    Arrays.sort(out);
    return out;
  }
}
