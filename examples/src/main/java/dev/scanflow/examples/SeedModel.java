package dev.scanflow.examples;

import dev.scanflow.control.Scans;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;

/**
 * The seed's vanilla RNN: {@code h_t = tanh(h_{t-1} W_h + x_t W_x + b)} from {@code h_0 = 0}, read
 * out as {@code y_t = h_t W_pred + b_pred}, with the mean squared error as loss. Weight matrices
 * are uniform in {@code [-initScale, initScale]}, biases zero; names follow the seed's scopes.
 */
public final class SeedModel {
  public final Graph graph;
  public final Tensor inputs;
  public final Tensor targets;
  public final Tensor states;
  public final Tensor predictions;
  public final Tensor loss;
  public final int hidden;

  public SeedModel(Graph g, int hidden, double initScale) {
    if (hidden < 1) {
      throw new IllegalArgumentException("hidden size must be >= 1, got " + hidden);
    }
    this.graph = g;
    this.hidden = hidden;
    inputs = g.placeholder("inputs", DType.FLOAT32, -1, 1);
    targets = g.placeholder("targets", DType.FLOAT32, -1, 1);
    try (var model = g.variableScope("model", Initializer.uniform(-initScale, initScale), false)) {
      try (var s = g.variableScope("states")) {
        Tensor initial = Ops.fill(g, DType.FLOAT32, 0, hidden);
        states = Scans.scan(this::step, inputs, initial, false, "states");
      }
      try (var p = g.variableScope("predictions")) {
        Tensor wPred = g.getVariable("W_pred", new long[] {hidden, 1}, null);
        Tensor bPred = g.getVariable("b_pred", new long[] {1}, Initializer.zeros());
        predictions = states.matmul(wPred).add(bPred);
      }
      try (var l = g.variableScope("loss")) {
        loss = Ops.reduceMean(Ops.square(targets.sub(predictions)), false);
      }
    }
  }

  private Tensor step(Tensor hPrev, Tensor x) {
    try (var block = graph.variableScope("rnn_block")) {
      Tensor wH = graph.getVariable("W_h", new long[] {hidden, hidden}, null);
      Tensor wX = graph.getVariable("W_x", new long[] {1, hidden}, null);
      Tensor b = graph.getVariable("b", new long[] {hidden}, Initializer.zeros());
      Tensor h = hPrev.reshape(1, hidden).matmul(wH).add(x.reshape(1, 1).matmul(wX)).add(b).tanh();
      return h.reshape(hidden);
    }
  }
}
