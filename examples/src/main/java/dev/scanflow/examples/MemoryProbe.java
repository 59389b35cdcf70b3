package dev.scanflow.examples;

import dev.scanflow.train.TrainingListener;
import dev.scanflow.train.TrainingLoop;
import org.bytedeco.javacpp.Pointer;

/**
 * Samples memory after warm-up (a tenth of the run) and at the end, to show whether the heap and
 * the off-heap memory that JavaCPP tracks for ND4J arrays stay flat over a long run. Figures are
 * taken after garbage collections with short pauses between them (see {@link #heapMb()}); the time
 * this takes is reported by {@link #probeNanos()} so that training time can leave it out.
 */
final class MemoryProbe implements TrainingListener {
  private final long warmStep;
  private double heapWarmMb = Double.NaN;
  private double offHeapWarmMb = Double.NaN;
  private double heapEndMb = Double.NaN;
  private double offHeapEndMb = Double.NaN;

  MemoryProbe(long steps) {
    this.warmStep = Math.max(1, steps / 10);
  }

  @Override
  public void onStep(TrainingLoop.State s) {
    if (s.step() == warmStep) {
      long t0 = System.nanoTime();
      heapWarmMb = heapMb();
      offHeapWarmMb = offHeapMb();
      probeNanos += System.nanoTime() - t0;
    }
  }

  @Override
  public void onEnd(TrainingLoop.State s) {
    long t0 = System.nanoTime();
    heapEndMb = heapMb();
    offHeapEndMb = offHeapMb();
    probeNanos += System.nanoTime() - t0;
  }

  /** Time spent measuring (collections and pauses), which training time should not count. */
  long probeNanos() {
    return probeNanos;
  }

  private long probeNanos;

  private static double heapMb() {
    // ND4J and JavaCPP free an array's native memory on their own threads once a collection has
    // found it unreachable, and their bookkeeping objects stay on the heap until then: collect,
    // give those threads a moment to catch up, and collect again, so the figure is what is live
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / 1048576.0;
  }

  private static double offHeapMb() {
    return Pointer.totalBytes() / 1048576.0;
  }

  double heapWarmMb() {
    return heapWarmMb;
  }

  double offHeapWarmMb() {
    return offHeapWarmMb;
  }

  double heapEndMb() {
    return heapEndMb;
  }

  double offHeapEndMb() {
    return offHeapEndMb;
  }
}
