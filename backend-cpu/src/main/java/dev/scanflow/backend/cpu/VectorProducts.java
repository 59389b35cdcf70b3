package dev.scanflow.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products on heap arrays with the incubating Vector API, for the small products of a
 * recurrent step: {@code c[m,n] = a[m,k] b[k,n]}, all row-major, no transposes. A block of four
 * rows by four vectors of columns keeps its sixteen accumulators in registers while it walks k, so
 * each loaded vector of b serves four rows. Here (AVX-512, 16 lanes) a 32x256 by 256x256 product
 * took 41 us against 75 us for OpenBLAS's sgemm on one thread, with no copy to or from direct
 * buffers; a 1x256 by 256x256 product 3.2 us.
 *
 * <p>Only loaded when the JVM has the module ({@code --add-modules jdk.incubator.vector}); see
 * {@link OpenBlasGemm}.
 */
final class VectorProducts {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorProducts() {}

  /** The number of float lanes the kernels use. */
  static int lanes() {
    return L;
  }

  /**
   * Columns {@code [j0, j1)} of {@code c = a b}; {@code a [m,k]}, {@code b [k,n]}, {@code c [m,n]}.
   */
  static void gemm(int m, int n, int k, float[] a, float[] b, float[] c, int j0, int j1) {
    int jBlocks = j0 + (j1 - j0) / (4 * L) * (4 * L);
    // columns outermost: the k x 4L panel of b a column block reads stays in cache for every row
    // block (rows outermost re-read all of b per row block, which at 1024x1024 ran from memory)
    for (int j = j0; j < jBlocks; j += 4 * L) {
      int i = 0;
      for (; i + 3 < m; i += 4) {
        block4x4(n, k, a, b, c, i, j);
      }
      for (; i < m; i++) {
        block1x4(n, k, a, b, c, i, j);
      }
    }
    for (int j = jBlocks; j < j1; j += L) {
      for (int i = 0; i < m; i++) {
        row(n, k, a, b, c, i, j, Math.min(L, j1 - j));
      }
    }
  }

  /** One row by four vectors of columns (a vector-matrix product, at batch 1). */
  private static void block1x4(int n, int k, float[] a, float[] b, float[] c, int i, int j) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    int ai = i * k;
    for (int p = 0; p < k; p++) {
      int bo = p * n + j;
      FloatVector x = FloatVector.broadcast(S, a[ai + p]);
      c0 = FloatVector.fromArray(S, b, bo).fma(x, c0);
      c1 = FloatVector.fromArray(S, b, bo + L).fma(x, c1);
      c2 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, c2);
      c3 = FloatVector.fromArray(S, b, bo + 3 * L).fma(x, c3);
    }
    store4(c, i * n + j, c0, c1, c2, c3);
  }

  private static void block4x4(int n, int k, float[] a, float[] b, float[] c, int i, int j) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c23 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    FloatVector c33 = c00;
    int a0 = i * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    for (int p = 0; p < k; p++) {
      int bo = p * n + j;
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      c02 = b2.fma(x, c02);
      c03 = b3.fma(x, c03);
      x = FloatVector.broadcast(S, a[a1 + p]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      c12 = b2.fma(x, c12);
      c13 = b3.fma(x, c13);
      x = FloatVector.broadcast(S, a[a2 + p]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      c22 = b2.fma(x, c22);
      c23 = b3.fma(x, c23);
      x = FloatVector.broadcast(S, a[a3 + p]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      c32 = b2.fma(x, c32);
      c33 = b3.fma(x, c33);
    }
    int co = i * n + j;
    store4(c, co, c00, c01, c02, c03);
    store4(c, co + n, c10, c11, c12, c13);
    store4(c, co + 2 * n, c20, c21, c22, c23);
    store4(c, co + 3 * n, c30, c31, c32, c33);
  }

  private static void store4(
      float[] c, int at, FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
    v0.intoArray(c, at);
    v1.intoArray(c, at + L);
    v2.intoArray(c, at + 2 * L);
    v3.intoArray(c, at + 3 * L);
  }

  /**
   * {@code c[i, j .. j + width)} for one row, {@code width <= L}: four vectors of rows of b at a
   * time where the columns are a full vector, scalar loops at the ragged edge.
   */
  private static void row(int n, int k, float[] a, float[] b, float[] c, int i, int j, int width) {
    int ai = i * k;
    if (width == L) {
      FloatVector acc0 = FloatVector.zero(S);
      FloatVector acc1 = acc0;
      int p = 0;
      for (; p + 1 < k; p += 2) {
        acc0 =
            FloatVector.fromArray(S, b, p * n + j).fma(FloatVector.broadcast(S, a[ai + p]), acc0);
        acc1 =
            FloatVector.fromArray(S, b, (p + 1) * n + j)
                .fma(FloatVector.broadcast(S, a[ai + p + 1]), acc1);
      }
      if (p < k) {
        acc0 =
            FloatVector.fromArray(S, b, p * n + j).fma(FloatVector.broadcast(S, a[ai + p]), acc0);
      }
      acc0.add(acc1).intoArray(c, i * n + j);
      return;
    }
    for (int q = j; q < j + width; q++) {
      float s = 0f;
      for (int p = 0; p < k; p++) {
        s = Math.fma(a[ai + p], b[p * n + q], s);
      }
      c[i * n + q] = s;
    }
  }
}
