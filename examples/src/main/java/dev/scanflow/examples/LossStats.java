package dev.scanflow.examples;

import dev.scanflow.train.TrainingListener;
import dev.scanflow.train.TrainingLoop;

/** Keeps what summary.json reports: the last loss EMA and the mean raw loss over a final window. */
final class LossStats implements TrainingListener {
  private final long window;
  private double sum;
  private long count;
  private double lastEma;
  private double firstWindowSum;
  private long firstWindowCount;

  /** The window: the last 15,000 steps, or the last third when fewer than 45,000 are run. */
  static long windowFor(long steps) {
    return Math.max(1, Math.min(15_000, steps / 3));
  }

  LossStats(long steps) {
    this.window = windowFor(steps);
  }

  @Override
  public void onStep(TrainingLoop.State s) {
    double loss = s.metrics().get("loss");
    lastEma = s.metrics().get("loss_ema");
    if (s.step() > s.totalSteps() - window) {
      sum += loss;
      count++;
    }
    if (s.step() <= window) {
      firstWindowSum += loss;
      firstWindowCount++;
    }
  }

  long window() {
    return window;
  }

  /** Mean raw loss over the last window (NaN before any step). */
  double meanLastWindow() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Mean raw loss over the first window. */
  double meanFirstWindow() {
    return firstWindowCount == 0 ? Double.NaN : firstWindowSum / firstWindowCount;
  }

  double lastEma() {
    return lastEma;
  }
}
