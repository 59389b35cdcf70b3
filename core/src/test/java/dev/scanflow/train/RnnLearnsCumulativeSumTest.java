package dev.scanflow.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.control.Scans;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** End to end: the seed's vanilla RNN, written with scan, learns the cumulative sum. */
class RnnLearnsCumulativeSumTest {
  static final int H = 32;

  @Test
  void lossFallsFarBelowWhatAnUntrainedModelReaches() {
    Graph g = new Graph().setSeed(1);
    Tensor inputs = g.placeholder("inputs", DType.FLOAT32, -1, 1);
    Tensor targets = g.placeholder("targets", DType.FLOAT32, -1, 1);
    Tensor predictions;
    try (var model = g.variableScope("model", Initializer.uniform(-0.1, 0.1), false)) {
      Tensor states =
          Scans.scan(
              (hPrev, x) -> {
                try (var block = g.variableScope("rnn_block")) {
                  Tensor wh = g.getVariable("W_h", new long[] {H, H}, null);
                  Tensor wx = g.getVariable("W_x", new long[] {1, H}, null);
                  Tensor b = g.getVariable("b", new long[] {H}, Initializer.zeros());
                  return hPrev
                      .reshape(1, H)
                      .matmul(wh)
                      .add(x.reshape(1, 1).matmul(wx))
                      .add(b)
                      .tanh()
                      .reshape(H);
                }
              },
              inputs,
              Ops.fill(g, DType.FLOAT32, 0, H),
              false,
              "states");
      Tensor wp = g.getVariable("W_pred", new long[] {H, 1}, null);
      Tensor bp = g.getVariable("b_pred", new long[] {1}, Initializer.zeros());
      predictions = states.matmul(wp).add(bp);
    }
    Tensor loss = Ops.reduceMean(Ops.square(targets.sub(predictions)), false);
    GradientDescent sgd = new GradientDescent(g.scalar(0.05, DType.FLOAT32));
    List<GradAndVar> grads = sgd.computeGradients(loss);
    Clipping.Clipped clipped =
        Clipping.clipByGlobalNorm(grads.stream().map(GradAndVar::gradient).toList(), 1.0);
    List<GradAndVar> pairs = new java.util.ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      pairs.add(new GradAndVar(clipped.tensors().get(i), grads.get(i).variable()));
    }
    Tensor train = sgd.applyGradients(pairs, GlobalStep.of(g));

    Random rnd = new Random(3);
    List<Map<Tensor, INDArray>> validation = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      validation.add(sequence(rnd, inputs, targets));
    }
    try (Session s = new Session(g)) {
      s.initializeVariables();
      double untrained = meanLoss(s, loss, validation);
      for (int step = 0; step < 1500; step++) {
        s.run(List.of(loss, train), sequence(rnd, inputs, targets));
      }
      double trained = meanLoss(s, loss, validation);
      assertTrue(untrained > 2, "an untrained model's validation loss is large: " + untrained);
      assertTrue(
          trained < 0.1 * untrained, "validation loss fell from " + untrained + " to " + trained);
    }
  }

  static double meanLoss(Session s, Tensor loss, List<Map<Tensor, INDArray>> data) {
    double sum = 0;
    for (Map<Tensor, INDArray> feeds : data) {
      sum += s.run(loss, feeds).getDouble(0);
    }
    return sum / data.size();
  }

  /** A sequence of 3..8 standard-normal inputs and their cumulative sums. */
  static Map<Tensor, INDArray> sequence(Random rnd, Tensor inputs, Tensor targets) {
    int t = 3 + rnd.nextInt(6);
    float[] x = new float[t];
    float[] y = new float[t];
    float sum = 0;
    for (int i = 0; i < t; i++) {
      x[i] = (float) rnd.nextGaussian();
      sum += x[i];
      y[i] = sum;
    }
    return Map.of(
        inputs,
        Nd4j.createFromArray(x).reshape(t, 1),
        targets,
        Nd4j.createFromArray(y).reshape(t, 1));
  }
}
