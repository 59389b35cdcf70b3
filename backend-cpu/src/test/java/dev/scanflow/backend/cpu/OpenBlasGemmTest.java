package dev.scanflow.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.spi.Gemm;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenBlasGemmTest {
  @Test
  void isTheRegisteredGemm() {
    assertTrue(Gemm.best() instanceof OpenBlasGemm);
  }

  static java.nio.FloatBuffer direct(float[] v) {
    java.nio.FloatBuffer b =
        java.nio.ByteBuffer.allocateDirect(v.length * 4)
            .order(java.nio.ByteOrder.nativeOrder())
            .asFloatBuffer();
    b.put(0, v);
    return b;
  }

  @Test
  void matchesTheJavaLoopsForEveryTransposeAndOddSizes() {
    Random r = new Random(1);
    for (int[] mnk : new int[][] {{1, 256, 256}, {3, 5, 7}, {7, 1, 4}, {1, 1, 1}}) {
      int m = mnk[0];
      int n = mnk[1];
      int k = mnk[2];
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextFloat() - 0.5f;
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextFloat() - 0.5f;
      }
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          float[] expected = new float[m * n];
          float[] actual = new float[m * n];
          new Gemm.JavaGemm().gemm(ta, tb, m, n, k, a, b, expected);
          java.nio.FloatBuffer da = direct(a);
          java.nio.FloatBuffer db = direct(b);
          java.nio.FloatBuffer dc = direct(actual);
          new OpenBlasGemm().gemm(ta, tb, m, n, k, da, db, dc);
          dc.get(0, actual);
          assertArrayEquals(
              expected,
              actual,
              1e-4f,
              "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
        }
      }
    }
  }
}
