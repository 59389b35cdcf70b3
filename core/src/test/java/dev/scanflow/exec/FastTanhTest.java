package dev.scanflow.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastTanhTest {
  @Test
  void closeToMathTanhEverywhere() {
    double worst = 0;
    float at = 0;
    for (float x = -20f; x <= 20f; x += 3e-5f) {
      double err = Math.abs(CompiledFrame.tanh(x) - Math.tanh(x));
      if (err > worst) {
        worst = err;
        at = x;
      }
    }
    assertTrue(worst <= 5e-7, "largest error " + worst + " at " + at);
  }

  @Test
  void oddAndExactAtZero() {
    assertEquals(0f, CompiledFrame.tanh(0f));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(CompiledFrame.tanh(-0f)));
    for (float x : new float[] {1e-30f, 1e-7f, 0.3f, 2f, 7.5f}) {
      assertEquals(-CompiledFrame.tanh(x), CompiledFrame.tanh(-x));
      assertEquals(x < 1e-3f ? x : Math.tanh(x), CompiledFrame.tanh(x), Math.ulp(x) * 8 + 5e-7);
    }
  }

  @Test
  void saturatesAndPropagatesNaN() {
    assertEquals(1f, CompiledFrame.tanh(Float.POSITIVE_INFINITY), 5e-7);
    assertEquals(-1f, CompiledFrame.tanh(-1e30f), 5e-7);
    assertTrue(Math.abs(CompiledFrame.tanh(1e30f)) <= 1f);
    assertTrue(Float.isNaN(CompiledFrame.tanh(Float.NaN)));
  }
}
