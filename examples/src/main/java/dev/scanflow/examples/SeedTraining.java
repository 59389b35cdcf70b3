package dev.scanflow.examples;

import dev.scanflow.graph.Tensor;
import dev.scanflow.train.Clipping;
import dev.scanflow.train.ExponentialMovingAverage;
import dev.scanflow.train.GlobalStep;
import dev.scanflow.train.GradAndVar;
import dev.scanflow.train.GradientDescent;
import dev.scanflow.train.LearningRates;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's optimiser: gradients of the loss for all trainable variables, clipped by global norm
 * (unless {@code clip <= 0}), plain gradient descent with a staircase exponential decay, and the
 * loss's moving average (decay 0.99, read before its update).
 */
public final class SeedTraining {
  public final Tensor trainOp;
  public final Tensor emaUpdate;
  public final Tensor lossEma;
  public final Tensor globalStep;
  public final Tensor learningRate;
  public final Tensor globalNorm;

  public SeedTraining(SeedModel model, double lr, long decaySteps, double decayRate, double clip) {
    var g = model.graph;
    globalStep = GlobalStep.of(g);
    learningRate = LearningRates.exponentialDecay(lr, decaySteps, decayRate, true).at(globalStep);
    GradientDescent sgd = new GradientDescent(learningRate);
    List<GradAndVar> grads = sgd.computeGradients(model.loss);
    List<Tensor> raw = grads.stream().map(GradAndVar::gradient).toList();
    List<Tensor> applied = raw;
    Tensor norm = null;
    if (clip > 0) {
      Clipping.Clipped c = Clipping.clipByGlobalNorm(raw, clip);
      applied = c.tensors();
      norm = c.globalNorm();
    }
    globalNorm = norm;
    List<GradAndVar> pairs = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      pairs.add(new GradAndVar(applied.get(i), grads.get(i).variable()));
    }
    trainOp = sgd.applyGradients(pairs, globalStep);
    ExponentialMovingAverage ema = new ExponentialMovingAverage(0.99);
    emaUpdate = ema.apply(List.of(model.loss));
    lossEma = ema.average(model.loss);
  }
}
