package dev.scanflow.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

  static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat() - 0.5f;
    }
    return v;
  }

  static float[] product(
      OpenBlasGemm gemm, boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b) {
    java.nio.FloatBuffer dc = direct(new float[m * n]);
    gemm.gemm(ta, tb, m, n, k, direct(a), direct(b), dc);
    float[] c = new float[m * n];
    dc.get(0, c);
    return c;
  }

  @Test
  void largeProductsSplitIntoColumnBlocksMatchTheJavaLoops() {
    Random r = new Random(2);
    // above the split size; 100 and 250 columns leave a narrower last block
    for (int[] mnk : new int[][] {{32, 256, 256}, {256, 100, 864}, {64, 250, 140}}) {
      int m = mnk[0];
      int n = mnk[1];
      int k = mnk[2];
      assertTrue((long) m * n * k >= OpenBlasGemm.SPLIT_WORK);
      float[] a = random(r, m * k);
      float[] b = random(r, k * n);
      for (int threads : new int[] {2, 3}) {
        OpenBlasGemm gemm = new OpenBlasGemm(threads, false);
        assertEquals(threads, gemm.threads());
        for (boolean ta : new boolean[] {false, true}) {
          for (boolean tb : new boolean[] {false, true}) {
            float[] expected = new float[m * n];
            new Gemm.JavaGemm().gemm(ta, tb, m, n, k, a, b, expected);
            assertArrayEquals(
                expected,
                product(gemm, ta, tb, m, n, k, a, b),
                1e-3f,
                "threads=" + threads + " m=" + m + " n=" + n + " ta=" + ta + " tb=" + tb);
          }
        }
      }
    }
  }

  @Test
  void concurrentCallersGetTheirOwnResults() throws Exception {
    OpenBlasGemm gemm = new OpenBlasGemm(2, false);
    int m = 32;
    int n = 256;
    int k = 256;
    java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      for (int t = 0; t < 3; t++) {
        int seed = t;
        results.add(
            pool.submit(
                () -> {
                  Random r = new Random(seed);
                  float[] a = random(r, m * k);
                  float[] b = random(r, k * n);
                  float[] expected = new float[m * n];
                  new Gemm.JavaGemm().gemm(false, false, m, n, k, a, b, expected);
                  for (int i = 0; i < 50; i++) {
                    float[] c = product(gemm, false, false, m, n, k, a, b);
                    for (int j = 0; j < c.length; j++) {
                      if (Math.abs(c[j] - expected[j]) > 1e-3f) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (java.util.concurrent.Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void testsRunWithTheVectorApi() {
    assertTrue(CpuBackend.vectorApiPresent(), "surefire adds --add-modules jdk.incubator.vector");
    assertTrue(CpuBackend.vectorProducts());
    assertTrue(new OpenBlasGemm(1, true).takesArrays(32, 256, 256));
    assertTrue(!new OpenBlasGemm(1, true).takesArrays(OpenBlasGemm.VECTOR_MAX_ROWS + 1, 256, 256));
    assertTrue(!new OpenBlasGemm(1, true).takesArrays(1, 256, 256));
    assertTrue(!new OpenBlasGemm(1, true).takesArrays(32, 1, 256));
    assertTrue(!new OpenBlasGemm(1, true).takesArrays(32, 1024, 1024));
    OpenBlasGemm off = new OpenBlasGemm(1, false);
    assertTrue(!off.takesArrays(32, 256, 256));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> off.gemm(2, 2, 2, new float[4], new float[4], new float[4]));
    assertTrue(e.getMessage().contains("2x2 by 2x2"), e.getMessage());
  }

  @Test
  void vectorProductsOnHeapArraysMatchTheJavaLoops() {
    Random r = new Random(3);
    int[] rows = {1, 3, 4, 5, 32, 64};
    int[] cols = {1, 17, 64, 100, 256};
    int[] inner = {1, 7, 256};
    for (int threads : new int[] {1, 2}) {
      OpenBlasGemm gemm = new OpenBlasGemm(threads, true);
      for (int m : rows) {
        for (int n : cols) {
          for (int k : inner) {
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] expected = new float[m * n];
            new Gemm.JavaGemm().gemm(false, false, m, n, k, a, b, expected);
            float[] c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN); // every element must be written
            if (gemm.takesArrays(m, n, k)) {
              gemm.gemm(m, n, k, a, b, c);
            } else {
              VectorProducts.gemm(m, n, k, a, b, c, 0, n); // fewer rows than the backend sends
            }
            assertArrayEquals(
                expected, c, 1e-4f, "threads=" + threads + " m=" + m + " n=" + n + " k=" + k);
          }
        }
      }
    }
  }
}
