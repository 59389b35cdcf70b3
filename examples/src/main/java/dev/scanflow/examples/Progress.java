package dev.scanflow.examples;

import dev.scanflow.train.TrainingListener;
import dev.scanflow.train.TrainingLoop;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Console progress: a progress bar with the loss EMA and steps/s on a terminal; plain lines in the
 * seed's format ({@code Step N. Loss EMA: X.}) about 50 times per run otherwise.
 */
abstract class Progress implements TrainingListener, AutoCloseable {
  private final long start = System.nanoTime();

  static Progress create(long steps, PrintStream out) {
    return System.console() != null ? new Bar(steps) : new Lines(steps, out);
  }

  double stepsPerSecond(long step) {
    double s = (System.nanoTime() - start) / 1e9;
    return s > 0 ? step / s : 0;
  }

  @Override
  public void close() {}

  private static final class Bar extends Progress {
    private final ProgressBar bar;

    Bar(long steps) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("rnn")
              .setInitialMax(steps)
              .setUpdateIntervalMillis(250)
              .build();
    }

    @Override
    public void onStep(TrainingLoop.State s) {
      bar.stepTo(s.step());
      bar.setExtraMessage(
          String.format(
              Locale.ROOT,
              "loss EMA %.6f, %.0f steps/s",
              s.metrics().get("loss_ema"),
              stepsPerSecond(s.step())));
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  private static final class Lines extends Progress {
    private final long every;
    private final PrintStream out;

    Lines(long steps, PrintStream out) {
      this.every = Math.max(1, steps / 50);
      this.out = out;
    }

    @Override
    public void onStep(TrainingLoop.State s) {
      if (s.step() % every == 0 || s.step() == s.totalSteps()) {
        out.printf(
            Locale.ROOT,
            "Step %d. Loss EMA: %.6f. (%.0f steps/s)%n",
            s.step(),
            s.metrics().get("loss_ema"),
            stepsPerSecond(s.step()));
      }
    }
  }
}
