package dev.scanflow.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class CumSumTest {
  @Test
  void printsTheSeedsResult() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    int code;
    try {
      code = Main.run("cumsum");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    assertEquals("[1.0, 3.0, 5.0, 7.0]", buf.toString().trim());
  }

  @Test
  void computesOtherSequences() {
    assertArrayEquals(new float[] {-1, 0, 0.5f}, CumSum.compute(-1, 1, 0.5f));
    assertTrue(CumSum.compute().length == 0);
  }
}
