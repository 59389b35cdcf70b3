package dev.scanflow.examples;

import dev.scanflow.train.TrainingListener;
import dev.scanflow.train.TrainingLoop;
import org.bytedeco.javacpp.Pointer;

/**
 * Samples memory after warm-up (a tenth of the run) and at the end, to show whether the heap and
 * the off-heap memory that JavaCPP tracks for ND4J arrays stay flat over a long run. Heap figures
 * are taken after a garbage collection.
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
      heapWarmMb = heapMb();
      offHeapWarmMb = offHeapMb();
    }
  }

  @Override
  public void onEnd(TrainingLoop.State s) {
    heapEndMb = heapMb();
    offHeapEndMb = offHeapMb();
  }

  private static double heapMb() {
    System.gc();
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
