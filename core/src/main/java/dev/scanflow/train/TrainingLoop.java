package dev.scanflow.train;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loop in a few lines: each step feeds what {@code feeds} returns, runs the training ops
 * and fetches named scalar metrics (read before the step's updates), then tells the listeners.
 *
 * <pre>{@code
 * new TrainingLoop(session, step -> nextBatch())
 *     .metric("loss", loss).metric("loss_ema", lossEma)
 *     .run(train, updateEma)
 *     .listener(Listeners.summaries(writer))
 *     .listener(Listeners.every(1000, Listeners.checkpoints(manager)))
 *     .train(45_000);
 * }</pre>
 */
public final class TrainingLoop {
  private final Session session;
  private final LongFunction<Map<Tensor, INDArray>> feeds;
  private final Map<String, Tensor> metrics = new LinkedHashMap<>();
  private final List<Tensor> ops = new ArrayList<>();
  private final List<TrainingListener> listeners = new ArrayList<>();

  /** {@code feeds} gives the feeds of step {@code n} (1-based). */
  public TrainingLoop(Session session, LongFunction<Map<Tensor, INDArray>> feeds) {
    this.session = session;
    this.feeds = feeds;
  }

  /** Fetches a scalar every step under {@code name}. */
  public TrainingLoop metric(String name, Tensor scalar) {
    if (scalar.rank() != 0 || !scalar.dtype().isFloating()) {
      throw new IllegalArgumentException(
          "metric "
              + name
              + " must be a floating-point scalar, got "
              + scalar
              + " "
              + scalar.spec());
    }
    if (metrics.put(name, scalar) != null) {
      throw new IllegalArgumentException("metric " + name + " is defined twice");
    }
    return this;
  }

  /** Ops run every step (training op, moving-average update). */
  public TrainingLoop run(Tensor... trainingOps) {
    ops.addAll(List.of(trainingOps));
    return this;
  }

  public TrainingLoop listener(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /** What listeners see after a step. */
  public record State(Session session, long step, long totalSteps, Map<String, Double> metrics) {}

  /** Runs steps {@code 1..steps}; returns the metrics of the last step. */
  public Map<String, Double> train(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    List<Tensor> fetches = new ArrayList<>(metrics.values());
    fetches.addAll(ops);
    List<String> names = new ArrayList<>(metrics.keySet());
    Map<String, Double> last = Map.of();
    State start = new State(session, 0, steps, Map.of());
    for (TrainingListener l : listeners) {
      l.onStart(start);
    }
    for (long step = 1; step <= steps; step++) {
      List<INDArray> out = session.run(fetches, feeds.apply(step));
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        m.put(names.get(i), out.get(i).getDouble(0));
      }
      last = Collections.unmodifiableMap(m);
      State s = new State(session, step, steps, last);
      for (TrainingListener l : listeners) {
        l.onStep(s);
      }
    }
    State end = new State(session, steps, steps, last);
    for (TrainingListener l : listeners) {
      l.onEnd(end);
    }
    return last;
  }
}
