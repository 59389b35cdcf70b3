package dev.scanflow.backend.cpu;

import dev.scanflow.spi.Gemm;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Single-precision products through OpenBLAS's {@code cblas_sgemm}, called on direct buffers, which
 * JavaCPP passes by address (heap arrays would be copied in and out on every call). Registered as
 * the {@link Gemm} of the compiled scan-body executor. Every BLAS call is single-threaded (see
 * {@link CpuBackend}); products large enough to gain are cut into column blocks that run on {@link
 * CpuBackend#productThreads()} threads.
 */
public final class OpenBlasGemm implements Gemm {
  @Override
  public int priority() {
    return 10;
  }

  @Override
  public void gemm(
      boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, FloatBuffer b, FloatBuffer c) {
    // OpenBLAS's sgemm is an order of magnitude slower than sgemv on a single row or column
    // (measured 41 us against 3 us for 1x256 by 256x256), so vector products go to sgemv.
    if (m == 1) {
      // c[1,n] = a[1,k] op(b)  <=>  c = op(b)^T a; b is stored [k,n], or [n,k] when tb
      openblas.cblas_sgemv(
          openblas.CblasRowMajor,
          tb ? openblas.CblasNoTrans : openblas.CblasTrans,
          tb ? n : k,
          tb ? k : n,
          1f,
          b,
          tb ? k : n,
          a,
          1,
          0f,
          c,
          1);
    } else if (n == 1) {
      // c[m,1] = op(a) b[k,1]; a is stored [m,k], or [k,m] when ta
      openblas.cblas_sgemv(
          openblas.CblasRowMajor,
          ta ? openblas.CblasTrans : openblas.CblasNoTrans,
          ta ? k : m,
          ta ? m : k,
          1f,
          a,
          ta ? m : k,
          b,
          1,
          0f,
          c,
          1);
    } else if (workers != null && (long) m * n * k >= SPLIT_WORK && n >= 2 * SPLIT_MIN_COLUMNS) {
      split(ta, tb, m, n, k, a, b, c);
    } else {
      sgemm(ta, tb, m, n, k, a, b, 0, n, c, 0);
    }
  }

  /**
   * Products of at least this many multiply-adds are cut into column blocks computed in parallel: a
   * 32x256 by 256x256 product (2.1 M) took 75 us on one thread and 47-54 us on two here, while a
   * batch-1 step's weight gradient (1.8 M, once per training step) lost more waking the helper than
   * it gained.
   */
  static final long SPLIT_WORK = 1 << 21;

  /** The narrowest column block a split product gets. */
  static final int SPLIT_MIN_COLUMNS = 32;

  /**
   * Products with this many rows or more, and at most {@link #VECTOR_MAX_ROWS}, run on heap arrays
   * through {@link VectorProducts} when the Vector API is present. With fewer rows sgemv on direct
   * buffers was as fast (about 3 us for 1x256 by 256x256 either way) and reads a transposed matrix
   * in place.
   */
  static final int VECTOR_MIN_ROWS = 4;

  /** OpenBLAS was as fast or faster from about 256 rows on. */
  static final int VECTOR_MAX_ROWS = 64;

  /**
   * The largest inner and output widths sent to the kernels. They read b in place, without the
   * packing and cache blocking BLAS does; at 1024 x 1024 they ran 5-10 times slower than OpenBLAS
   * in most JVM runs (depending on how the arrays happened to be aligned), at 256 x 256 they were
   * 1.5-2 times faster.
   */
  static final int VECTOR_MAX_WIDTH = 256;

  private final ProductWorkers workers;
  private final boolean vector;

  /**
   * With the product thread count of {@link CpuBackend#productThreads()}, and the Vector API
   * kernels when {@link CpuBackend#vectorProducts()} says so.
   */
  public OpenBlasGemm() {
    this(CpuBackend.productThreads(), CpuBackend.vectorProducts());
  }

  /**
   * Large products use up to {@code threads} threads (the caller's and helpers); {@code vector}
   * lets small ones run on heap arrays with the Vector API (which must then be present).
   */
  OpenBlasGemm(int threads, boolean vector) {
    workers = threads > 1 ? new ProductWorkers(threads - 1) : null;
    this.vector = vector;
  }

  @Override
  public boolean takesArrays(int m, int n, int k) {
    // narrower than one register block (a product into a single column, say), sgemv does better
    return vector
        && m >= VECTOR_MIN_ROWS
        && m <= VECTOR_MAX_ROWS
        && n >= 4 * VectorProducts.lanes()
        && n <= VECTOR_MAX_WIDTH
        && k <= VECTOR_MAX_WIDTH;
  }

  @Override
  public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
    if (!takesArrays(m, n, k)) {
      throw new IllegalArgumentException(
          "a " + m + "x" + k + " by " + k + "x" + n + " product does not run on heap arrays here");
    }
    int block = 4 * VectorProducts.lanes();
    if (workers != null && (long) m * n * k >= SPLIT_WORK && n >= 2 * block) {
      int parts = Math.min(workers.parallelism(), n / block);
      // column blocks of whole register blocks, the last taking the rest
      int width = (n / parts + block - 1) / block * block;
      Runnable[] work = new Runnable[parts];
      int count = 0;
      for (int start = 0; start < n; start += width) {
        int from = start;
        int to = Math.min(n, start + width);
        work[count++] = () -> VectorProducts.gemm(m, n, k, a, b, c, from, to);
      }
      if (workers.runAll(count == parts ? work : java.util.Arrays.copyOf(work, count))) {
        return;
      }
    }
    VectorProducts.gemm(m, n, k, a, b, c, 0, n);
  }

  /** The threads a large product may use. */
  int threads() {
    return workers == null ? 1 : workers.parallelism();
  }

  private void split(
      boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, FloatBuffer b, FloatBuffer c) {
    int parts = Math.min(workers.parallelism(), n / SPLIT_MIN_COLUMNS);
    // column blocks, multiples of 16 (one AVX-512 register) except the last
    int width = ((n + parts - 1) / parts + 15) & ~15;
    Runnable[] work = new Runnable[parts];
    int count = 0;
    for (int start = 0; start < n; start += width) {
      int from = start;
      int cols = Math.min(width, n - start);
      // block of op(b): columns [from, from + cols) of b [k,n], or rows of b [n,k] when tb
      int bOffset = tb ? from * k : from;
      work[count++] = () -> sgemm(ta, tb, m, cols, k, a, b, bOffset, n, c, from);
    }
    Runnable[] used = count == parts ? work : java.util.Arrays.copyOf(work, count);
    if (!workers.runAll(used)) {
      sgemm(ta, tb, m, n, k, a, b, 0, n, c, 0);
    }
  }

  /**
   * {@code c[:, cOffset : cOffset + cols] = op(a) op(b)[:, block]} with the full matrices' leading
   * dimensions ({@code n} is the full width of {@code b} and {@code c}).
   */
  private static void sgemm(
      boolean ta,
      boolean tb,
      int m,
      int cols,
      int k,
      FloatBuffer a,
      FloatBuffer b,
      int bOffset,
      int n,
      FloatBuffer c,
      int cOffset) {
    openblas.cblas_sgemm(
        openblas.CblasRowMajor,
        ta ? openblas.CblasTrans : openblas.CblasNoTrans,
        tb ? openblas.CblasTrans : openblas.CblasNoTrans,
        m,
        cols,
        k,
        1f,
        a,
        ta ? m : k,
        at(b, bOffset),
        tb ? k : n,
        0f,
        at(c, cOffset),
        n);
  }

  /** A view of {@code buffer} starting at {@code offset}, so BLAS gets that address. */
  private static FloatBuffer at(FloatBuffer buffer, int offset) {
    return offset == 0 ? buffer : buffer.duplicate().position(offset).slice();
  }
}
