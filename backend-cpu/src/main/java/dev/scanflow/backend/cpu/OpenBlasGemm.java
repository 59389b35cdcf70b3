package dev.scanflow.backend.cpu;

import dev.scanflow.spi.Gemm;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Single-precision products through OpenBLAS's {@code cblas_sgemm}, called on direct buffers, which
 * JavaCPP passes by address (heap arrays would be copied in and out on every call). Registered as
 * the {@link Gemm} of the compiled scan-body executor.
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
    } else {
      openblas.cblas_sgemm(
          openblas.CblasRowMajor,
          ta ? openblas.CblasTrans : openblas.CblasNoTrans,
          tb ? openblas.CblasTrans : openblas.CblasNoTrans,
          m,
          n,
          k,
          1f,
          a,
          ta ? m : k,
          b,
          tb ? k : n,
          0f,
          c,
          n);
    }
  }
}
