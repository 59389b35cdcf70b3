package dev.scanflow.spi;

import java.nio.FloatBuffer;
import java.util.ServiceLoader;

/**
 * A single-precision matrix product on row-major float buffers (direct buffers, so a native BLAS
 * reads them in place), {@code c = op(a) op(b)}, used by the compiled scan-body executor. Backends
 * may register a faster one (the CPU backend calls OpenBLAS); the default is a plain Java loop.
 */
public interface Gemm {
  /**
   * {@code c[m x n] = op(a) op(b)} where {@code op(a)} is {@code [m x k]} ({@code a} is stored
   * {@code [k x m]} when {@code ta}) and {@code op(b)} is {@code [k x n]}.
   */
  void gemm(
      boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, FloatBuffer b, FloatBuffer c);

  /**
   * Whether {@link #gemm(int, int, int, float[], float[], float[])} computes an {@code [m x k]} by
   * {@code [k x n]} product straight on heap arrays (sparing the copies to direct buffers). The
   * default is no; the CPU backend says yes to small products when the Vector API is present.
   */
  default boolean takesArrays(int m, int n, int k) {
    return false;
  }

  /**
   * {@code c[m x n] = a[m x k] b[k x n]} on row-major heap arrays, no transposes; called only where
   * {@link #takesArrays} said yes.
   */
  default void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
    throw new UnsupportedOperationException(getClass().getName() + " takes no heap arrays");
  }

  /** The registered implementation with the highest priority, else the Java one. */
  static Gemm best() {
    return Holder.BEST;
  }

  /** Higher wins when several are registered. */
  default int priority() {
    return 0;
  }

  /** Lazily chosen implementation. */
  final class Holder {
    static final Gemm BEST = load();

    private Holder() {}

    private static Gemm load() {
      Gemm best = new JavaGemm();
      for (Gemm g : ServiceLoader.load(Gemm.class)) {
        if (g.priority() > best.priority()) {
          best = g;
        }
      }
      return best;
    }
  }

  /** Plain Java loops (i-k-j order, so the inner loop runs over contiguous memory). */
  final class JavaGemm implements Gemm {
    @Override
    public int priority() {
      return -1;
    }

    @Override
    public void gemm(
        boolean ta,
        boolean tb,
        int m,
        int n,
        int k,
        FloatBuffer fa,
        FloatBuffer fb,
        FloatBuffer fc) {
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      float[] c = new float[m * n];
      fa.get(0, a);
      fb.get(0, b);
      gemm(ta, tb, m, n, k, a, b, c);
      fc.put(0, c);
    }

    /** The same product on heap arrays. */
    public void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c) {
      java.util.Arrays.fill(c, 0, m * n, 0f);
      for (int i = 0; i < m; i++) {
        int ci = i * n;
        for (int p = 0; p < k; p++) {
          float av = ta ? a[p * m + i] : a[i * k + p];
          if (av == 0f) {
            continue;
          }
          if (tb) {
            for (int j = 0; j < n; j++) {
              c[ci + j] += av * b[j * k + p];
            }
          } else {
            int bp = p * n;
            for (int j = 0; j < n; j++) {
              c[ci + j] += av * b[bp + j];
            }
          }
        }
      }
    }
  }
}
