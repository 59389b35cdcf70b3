package dev.scanflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Runs every benchmark method once, untimed, with small parameters, so the module cannot rot. */
class BenchmarksRunOnceTest {
  @Test
  void seedTrainingStepSystemsAgreeAndRun() {
    SeedTrainingStepBenchmark b = new SeedTrainingStepBenchmark();
    b.t = 5;
    b.batch = 2;
    b.hidden = 16;
    b.setup(); // also checks scanflow against the ND4J loop
    assertTrue(Double.isFinite(b.scanflow()));
    assertTrue(Double.isFinite(b.nd4jLoop()));
    assertTrue(Double.isFinite(b.dl4j()));
    b.tearDown();
  }

  @Test
  void rnnStepRuns() {
    RnnStepBenchmark b = new RnnStepBenchmark();
    b.hidden = 8;
    b.batch = 2;
    b.setup();
    assertEquals(2, b.forward().rows());
    assertEquals(5, b.forwardBackward().size());
    b.tearDown();
  }

  @Test
  void scanLengthRuns() {
    ScanLengthBenchmark b = new ScanLengthBenchmark();
    b.t = 10;
    b.setup();
    assertTrue(Double.isFinite(b.forwardBackward()));
    b.tearDown();
  }

  @Test
  void sessionOverheadRuns() {
    SessionOverheadBenchmark b = new SessionOverheadBenchmark();
    b.setup();
    assertEquals(3f, b.run().getFloat(0));
    b.tearDown();
  }
}
