package dev.scanflow.benchmarks;

import dev.scanflow.control.Scans;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.train.Clipping;
import dev.scanflow.train.GlobalStep;
import dev.scanflow.train.GradAndVar;
import dev.scanflow.train.GradientDescent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seed's model and training step on a batch: inputs {@code [T, B, 1]}, carry {@code [B, H]},
 * mean squared error over all T x B predictions, gradients, global-norm clipping at 1.0 and an SGD
 * update, built in scanflow from given initial weights.
 */
final class SeedGraph implements AutoCloseable {
  final Graph graph = new Graph();
  final Tensor inputs;
  final Tensor targets;
  final Tensor loss;
  final Tensor train;
  final List<Tensor> weights;
  final Session session;

  /** {@code init}: W_h [H,H], W_x [1,H], b [H], W_pred [H,1], b_pred [1]. */
  SeedGraph(int batch, int hidden, double lr, double clip, List<INDArray> init) {
    Graph g = graph;
    inputs = g.placeholder("inputs", DType.FLOAT32, -1, batch, 1);
    targets = g.placeholder("targets", DType.FLOAT32, -1, batch, 1);
    Tensor wH = g.variable("W_h", init.get(0));
    Tensor wX = g.variable("W_x", init.get(1));
    Tensor b = g.variable("b", init.get(2));
    Tensor wP = g.variable("W_pred", init.get(3));
    Tensor bP = g.variable("b_pred", init.get(4));
    weights = List.of(wH, wX, b, wP, bP);
    Tensor h0 = Ops.fill(g, DType.FLOAT32, 0, batch, hidden);
    Tensor states =
        Scans.scan(
            (h, x) -> h.matmul(wH).add(x.matmul(wX)).add(b).tanh(), inputs, h0, false, "states");
    Tensor predictions = states.reshape(-1, hidden).matmul(wP).add(bP);
    loss = Ops.reduceMean(Ops.square(targets.reshape(-1, 1).sub(predictions)), false);
    GradientDescent sgd = new GradientDescent(g.scalar(lr, DType.FLOAT32));
    List<GradAndVar> grads = sgd.computeGradients(loss);
    List<Tensor> clipped =
        Clipping.clipByGlobalNorm(grads.stream().map(GradAndVar::gradient).toList(), clip)
            .tensors();
    List<GradAndVar> pairs = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      pairs.add(new GradAndVar(clipped.get(i), grads.get(i).variable()));
    }
    train = sgd.applyGradients(pairs, GlobalStep.of(g));
    session = new Session(g);
    session.initializeVariables();
  }

  /** One training step; returns the loss before the update. */
  double step(INDArray x, INDArray y) {
    return session.run(List.of(loss, train), Map.of(inputs, x, targets, y)).get(0).getDouble(0);
  }

  List<INDArray> weightValues() {
    return weights.stream().map(session::valueOf).toList();
  }

  @Override
  public void close() {
    session.close();
  }
}
