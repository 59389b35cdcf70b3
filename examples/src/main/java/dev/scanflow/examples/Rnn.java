package dev.scanflow.examples;

import dev.scanflow.io.Checkpoint;
import dev.scanflow.io.CheckpointManager;
import dev.scanflow.spi.Backend;
import dev.scanflow.spi.Backends;
import dev.scanflow.summary.EventFileWriter;
import dev.scanflow.train.Listeners;
import dev.scanflow.train.TrainingLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's main job: train the vanilla RNN to learn the cumulative sum with the seed's defaults,
 * write TensorBoard scalars, checkpoints, {@code summary.json} and prediction figures.
 */
@Command(
    name = "rnn",
    mixinStandardHelpOptions = true,
    description = "Train the seed's vanilla RNN to learn the cumulative sum.")
public final class Rnn implements Callable<Integer> {
  @Option(names = "--hidden", description = "hidden units (default ${DEFAULT-VALUE})")
  int hidden = 256;

  @Option(
      names = "--init-scale",
      description = "weights uniform in [-s, s] (default ${DEFAULT-VALUE})")
  double initScale = 0.1;

  @Option(names = "--lr", description = "initial learning rate (default ${DEFAULT-VALUE})")
  double lr = 1e-2;

  @Option(
      names = "--decay-steps",
      description = "steps per learning-rate decay (default ${DEFAULT-VALUE})")
  long decaySteps = 15_000;

  @Option(
      names = "--decay-rate",
      description = "learning-rate factor per decay (default ${DEFAULT-VALUE})")
  double decayRate = 0.1;

  @Option(
      names = "--clip",
      description = "global-norm clipping threshold (default ${DEFAULT-VALUE})")
  double clip = 1.0;

  @Option(names = "--no-clip", description = "train without gradient clipping")
  boolean noClip;

  @Option(names = "--steps", description = "optimisation steps (default ${DEFAULT-VALUE})")
  long steps = 45_000;

  @Option(names = "--min-length", description = "shortest sequence (default ${DEFAULT-VALUE})")
  int minLength = 5;

  @Option(
      names = "--max-length",
      description = "sequence lengths are < this (default ${DEFAULT-VALUE})")
  int maxLength = 50;

  @Option(
      names = "--seed",
      description = "random seed for data and initial weights (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(
      names = "--logdir",
      description = "output directory, cleared first (default ${DEFAULT-VALUE})")
  Path logdir = Path.of("logdir");

  @Option(
      names = "--checkpoint-every",
      description = "also checkpoint every N steps; 0: only at the end (default ${DEFAULT-VALUE})")
  long checkpointEvery = 0;

  @Option(names = "--restore", description = "continue from this checkpoint")
  Path restore;

  @Option(names = "--plots", description = "qualitative test figures (default ${DEFAULT-VALUE})")
  int plots = 5;

  @Option(
      names = "--backend",
      description =
          "cpu or cuda (default: -Dscanflow.backend, SCANFLOW_BACKEND, else the best available)")
  String backend;

  @Override
  public Integer call() throws IOException {
    Trainer.Config config =
        new Trainer.Config(
            hidden,
            initScale,
            lr,
            decaySteps,
            decayRate,
            noClip ? 0 : clip,
            minLength,
            maxLength,
            seed);
    Backend chosen;
    Checkpoint.Contents restored = null;
    try {
      config.validate();
      Trainer.require(steps >= 0, "--steps must be >= 0, got " + steps);
      Trainer.require(
          noClip || clip > 0,
          "--clip must be > 0, got " + clip + " (use --no-clip to train without clipping)");
      Trainer.require(
          checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
      Trainer.require(plots >= 0, "--plots must be >= 0, got " + plots);
      chosen = selectBackend(backend);
      if (restore != null) {
        restored = Checkpoint.read(restore);
      }
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    try (Trainer t = new Trainer(config)) {
      long startStep = 0;
      if (restored != null) {
        try {
          startStep =
              Checkpoint.restore(
                  t.session, restored, restore.toString(), t.model.graph.variables());
        } catch (RuntimeException e) {
          System.err.println("error: " + e.getMessage());
          return 2;
        }
      }
      clear(logdir);
      return train(t, chosen, startStep);
    }
  }

  /** Chooses the backend, honouring {@code --backend} over the property and environment. */
  static Backend selectBackend(String requested) {
    if (requested != null) {
      String name = requested.trim().toLowerCase(Locale.ROOT);
      Backends.choose(name, Backends.installed());
      System.setProperty(Backends.PROPERTY, name);
    }
    return Backends.init();
  }

  private int train(Trainer t, Backend chosen, long startStep) throws IOException {
    PrintStream out = System.out;
    LossStats stats = new LossStats(steps);
    MemoryProbe memory = new MemoryProbe(steps);
    CheckpointManager ckpts = new CheckpointManager(logdir, 3);
    long start = System.nanoTime();
    Map<String, Double> last;
    try (EventFileWriter events = new EventFileWriter(logdir);
        Progress progress = Progress.create(steps, out)) {
      TrainingLoop loop =
          t.loop()
              .listener(stats)
              .listener(memory)
              .listener(Listeners.summaries(events))
              .listener(progress);
      // a checkpoint at the end, and every --checkpoint-every steps when given
      loop.listener(
          Listeners.every(
              checkpointEvery > 0 ? checkpointEvery : Long.MAX_VALUE,
              Listeners.checkpoints(ckpts)));
      last = loop.train(steps);
    }
    // training time, without the memory probe's collections and pauses
    double seconds = (System.nanoTime() - start - memory.probeNanos()) / 1e9;
    out.printf(
        Locale.ROOT,
        "Trained %d steps in %.1f s (%.0f steps/s); mean loss over the last %d steps: %.6f%n",
        steps,
        seconds,
        steps / Math.max(seconds, 1e-9),
        stats.window(),
        stats.meanLastWindow());
    for (int i = 1; i <= plots; i++) {
      Sequences.Pair p = t.data.next();
      Figures.prediction(
          logdir.resolve("prediction-" + i),
          "sequence " + i + " (length " + p.length() + ")",
          p.inputs(),
          p.targets(),
          t.predict(p));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("steps", steps);
    summary.put("global_step", t.globalStep());
    summary.put("start_step", startStep);
    summary.put("final_loss_ema", last.getOrDefault("loss_ema", Double.NaN));
    summary.put("mean_loss_last_15000", stats.meanLastWindow());
    summary.put("mean_loss_window", stats.window());
    summary.put("mean_loss_first_window", stats.meanFirstWindow());
    summary.put("seconds", seconds);
    summary.put("steps_per_second", steps / Math.max(seconds, 1e-9));
    summary.put("heap_mb_after_warmup", memory.heapWarmMb());
    summary.put("heap_mb_at_end", memory.heapEndMb());
    summary.put("offheap_mb_after_warmup", memory.offHeapWarmMb());
    summary.put("offheap_mb_at_end", memory.offHeapEndMb());
    summary.put("seed", seed);
    summary.put("backend", chosen.name());
    summary.put("backend_info", chosen.describe().toString());
    summary.put("hidden", hidden);
    summary.put("lr", lr);
    summary.put("decay_steps", decaySteps);
    summary.put("decay_rate", decayRate);
    summary.put("clip", noClip ? null : clip);
    summary.put("min_length", minLength);
    summary.put("max_length", maxLength);
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(logdir.resolve("summary.json").toFile(), summary);
    out.println(
        "Wrote TensorBoard events, checkpoint, figures and summary.json to "
            + logdir.toAbsolutePath());
    return 0;
  }

  /** Deletes {@code dir} and everything below it, then recreates it. */
  static void clear(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
