package dev.scanflow.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.control.Scans;
import dev.scanflow.exec.Compilation;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compiled path with this backend's products (OpenBLAS, the Vector API kernels, split products)
 * against the generic op-by-op path, on RNN training graphs of several batch sizes.
 */
class CompiledOnCpuTest {
  static INDArray rand(Random r, long... shape) {
    for (long d : shape) {
      if (d == 0) {
        return Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
      }
    }
    return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape).subi(0.5).muli(0.6);
  }

  static List<INDArray> run(List<INDArray> inputs, boolean compiled) {
    Compilation.setEnabled(compiled);
    try {
      Graph g = new Graph();
      Tensor h0 = g.placeholder("h0", DType.FLOAT32, inputs.get(0).shape());
      Tensor xs = g.placeholder("xs", DType.FLOAT32, inputs.get(1).shape());
      Tensor wh = g.placeholder("wh", DType.FLOAT32, inputs.get(2).shape());
      Tensor wx = g.placeholder("wx", DType.FLOAT32, inputs.get(3).shape());
      Tensor b = g.placeholder("b", DType.FLOAT32, inputs.get(4).shape());
      Tensor states =
          Scans.scan((h, x) -> h.matmul(wh).add(x.matmul(wx)).add(b).tanh(), xs, h0, false, "rnn");
      Tensor loss = Ops.reduceSum(Ops.square(states), false);
      List<Tensor> fetches = new ArrayList<>();
      fetches.add(states);
      fetches.addAll(Gradients.of(loss, List.of(h0, xs, wh, wx, b)));
      try (Session s = new Session(g)) {
        return s.run(
            fetches,
            Map.of(
                h0,
                inputs.get(0),
                xs,
                inputs.get(1),
                wh,
                inputs.get(2),
                wx,
                inputs.get(3),
                b,
                inputs.get(4)));
      }
    } finally {
      Compilation.setEnabled(true);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1, 64, 5",
    "5, 100, 3",
    "32, 256, 4",
    "64, 128, 2",
    "70, 40, 3",
    "32, 256, 1",
    "8, 64, 0"
  })
  void rnnForwardAndGradientsMatchTheGenericPath(int batch, int hidden, int t) {
    Random r = new Random(batch * 31L + hidden);
    Nd4j.getRandom().setSeed(batch * 31L + hidden);
    List<INDArray> inputs =
        List.of(
            rand(r, batch, hidden),
            rand(r, t, batch, 3),
            rand(r, hidden, hidden).muli(0.3),
            rand(r, 3, hidden),
            rand(r, hidden));
    List<INDArray> fast = run(inputs, true);
    List<INDArray> generic = run(inputs, false);
    for (int i = 0; i < fast.size(); i++) {
      assertArrayEquals(generic.get(i).shape(), fast.get(i).shape(), "shape of result " + i);
      if (generic.get(i).isEmpty()) {
        continue;
      }
      double scale = Math.max(1e-3, generic.get(i).amaxNumber().doubleValue());
      double diff = fast.get(i).sub(generic.get(i)).amaxNumber().doubleValue();
      assertTrue(
          diff <= 1e-5 * scale, "result " + i + " differs by " + diff + " (scale " + scale + ")");
    }
  }
}
