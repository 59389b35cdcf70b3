package dev.scanflow.train;

import dev.scanflow.io.CheckpointManager;
import dev.scanflow.summary.EventFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Ready-made listeners for {@link TrainingLoop}. */
public final class Listeners {
  private Listeners() {}

  /** Calls {@code l} on every {@code n}-th step (and at start and end). */
  public static TrainingListener every(long n, TrainingListener l) {
    if (n < 1) {
      throw new IllegalArgumentException("every: n must be >= 1, got " + n);
    }
    return new TrainingListener() {
      @Override
      public void onStart(TrainingLoop.State s) {
        l.onStart(s);
      }

      @Override
      public void onStep(TrainingLoop.State s) {
        if (s.step() % n == 0) {
          l.onStep(s);
        }
      }

      @Override
      public void onEnd(TrainingLoop.State s) {
        l.onEnd(s);
      }
    };
  }

  /**
   * Writes every metric as a TensorBoard scalar at step {@code step - 1} (the seed's numbering),
   * and flushes at the end.
   */
  public static TrainingListener summaries(EventFileWriter writer) {
    return new TrainingListener() {
      @Override
      public void onStep(TrainingLoop.State s) {
        for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
          writer.addScalar(e.getKey(), e.getValue(), s.step() - 1);
        }
      }

      @Override
      public void onEnd(TrainingLoop.State s) {
        try {
          writer.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** The graph's global step if it has one, else the loop's step. */
  static long globalStep(TrainingLoop.State s) {
    var gs = s.session().graph().variableNamed(GlobalStep.NAME);
    return gs != null && s.session().isInitialized(gs)
        ? s.session().valueOf(gs).getLong(0)
        : s.step();
  }

  /** Saves a checkpoint (named by step) whenever called, and at the end of training. */
  public static TrainingListener checkpoints(CheckpointManager manager) {
    return new TrainingListener() {
      private long saved = -1;

      @Override
      public void onStep(TrainingLoop.State s) {
        saved = s.step();
        manager.save(s.session(), globalStep(s));
      }

      @Override
      public void onEnd(TrainingLoop.State s) {
        if (saved != s.step()) {
          manager.save(s.session(), globalStep(s));
        }
      }
    };
  }
}
