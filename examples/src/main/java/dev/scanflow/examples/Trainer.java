package dev.scanflow.examples;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.train.TrainingLoop;
import java.util.Map;

/** Builds the seed's model and optimiser in a fresh graph and session, and trains it. */
final class Trainer implements AutoCloseable {
  /** Hyperparameters of one run. */
  record Config(
      int hidden,
      double initScale,
      double lr,
      long decaySteps,
      double decayRate,
      double clip,
      int minLength,
      int maxLength,
      long seed) {
    void validate() {
      require(hidden >= 1, "--hidden must be >= 1, got " + hidden);
      require(initScale >= 0, "--init-scale must be >= 0, got " + initScale);
      require(lr > 0 && Double.isFinite(lr), "--lr must be > 0, got " + lr);
      require(decaySteps > 0, "--decay-steps must be > 0, got " + decaySteps);
      require(decayRate > 0 && decayRate <= 1, "--decay-rate must be in (0, 1], got " + decayRate);
      require(clip >= 0, "clip threshold must be >= 0 (0: no clipping), got " + clip);
      require(minLength >= 1, "--min-length must be >= 1, got " + minLength);
      require(
          maxLength > minLength,
          "--max-length ("
              + maxLength
              + ") must exceed --min-length ("
              + minLength
              + "): lengths are drawn from [min, max)");
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  final Config config;
  final SeedModel model;
  final SeedTraining training;
  final Session session;
  final Sequences data;

  Trainer(Config config) {
    config.validate();
    this.config = config;
    Graph g = new Graph().setSeed(config.seed());
    model = new SeedModel(g, config.hidden(), config.initScale());
    training =
        new SeedTraining(
            model, config.lr(), config.decaySteps(), config.decayRate(), config.clip());
    session = new Session(g);
    session.initializeVariables();
    data = new Sequences(config.seed(), config.minLength(), config.maxLength());
  }

  /**
   * A training loop over fresh sequences fetching {@code loss} and {@code loss_ema} (read before
   * the step's update, as the seed prints it) and running the update and the EMA update.
   */
  TrainingLoop loop() {
    return new TrainingLoop(
            session,
            step -> {
              Sequences.Pair p = data.next();
              return Map.of(model.inputs, p.inputArray(), model.targets, p.targetArray());
            })
        .metric("loss", model.loss)
        .metric("loss_ema", training.lossEma)
        .run(training.trainOp, training.emaUpdate);
  }

  float[] predict(Sequences.Pair p) {
    return session.run(model.predictions, Map.of(model.inputs, p.inputArray())).toFloatVector();
  }

  double loss(Sequences.Pair p) {
    return session
        .run(model.loss, Map.of(model.inputs, p.inputArray(), model.targets, p.targetArray()))
        .getDouble(0);
  }

  long globalStep() {
    return session.valueOf(training.globalStep).getLong(0);
  }

  Tensor globalStepTensor() {
    return training.globalStep;
  }

  @Override
  public void close() {
    session.close();
  }
}
