package dev.scanflow.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.exec.CompiledFrame;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The compiled fast path for float32 scan bodies against the generic op-by-op path: same outputs
 * and gradients to 1e-5 relative, on random shapes, batches above 1, and lengths 0 and 1.
 */
class CompiledScanTest {
  @AfterEach
  void restore() {
    dev.scanflow.exec.Compilation.setEnabled(true);
  }

  /** Outputs and gradients of {@code f} with the fast path on, then off. */
  static void compare(Function<List<Tensor>, Tensor> f, List<INDArray> inputs) {
    List<INDArray> fast = run(f, inputs, true);
    List<INDArray> generic = run(f, inputs, false);
    for (int i = 0; i < fast.size(); i++) {
      INDArray a = fast.get(i);
      INDArray b = generic.get(i);
      assertArrayEquals(b.shape(), a.shape(), "shape of result " + i);
      if (a.length() > 0) {
        double scale = Math.max(1e-3, b.amaxNumber().doubleValue());
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(
            diff <= 1e-5 * scale, "result " + i + " differs by " + diff + " (scale " + scale + ")");
      }
    }
  }

  static List<INDArray> run(
      Function<List<Tensor>, Tensor> f, List<INDArray> inputs, boolean compiled) {
    dev.scanflow.exec.Compilation.setEnabled(compiled);
    Graph g = new Graph();
    List<Tensor> ph = new ArrayList<>();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      Tensor p = g.placeholder("in" + i, DType.FLOAT32, inputs.get(i).shape());
      ph.add(p);
      feeds.put(p, inputs.get(i));
    }
    Tensor y = f.apply(ph);
    List<Tensor> fetches = new ArrayList<>();
    fetches.add(y);
    fetches.addAll(
        Gradients.of(Ops.reduceSum(Ops.square(y), false), ph, Gradients.Unconnected.ZERO));
    try (Session s = new Session(g)) {
      return s.run(fetches, feeds);
    }
  }

  static INDArray rand(Random r, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 0.5);
    }
    return CompiledFrame.toArray(v, shape);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 17})
  void vanillaRnnWithBatches(int t) {
    Random r = new Random(t);
    int b = 1 + r.nextInt(4);
    int d = 1 + r.nextInt(3);
    int h = 2 + r.nextInt(9);
    compare(
        in ->
            Scans.scan(
                (hp, x) -> hp.matmul(in.get(2)).add(x.matmul(in.get(3))).add(in.get(4)).tanh(),
                in.get(1),
                in.get(0),
                false,
                "rnn"),
        List.of(rand(r, b, h), rand(r, t, b, d), rand(r, h, h), rand(r, d, h), rand(r, h)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9})
  void lstmLikeBodyWithSlicesConcatAndSigmoid(int t) {
    Random r = new Random(100 + t);
    int h = 3;
    compare(
        in -> {
          List<Tensor> hc =
              Scans.scan(
                  (c, x) -> {
                    Tensor z = Ops.concat(1, c.get(0), x.get(0)).matmul(in.get(3)).add(in.get(4));
                    Tensor i = Ops.slice(z, new long[] {0, 0}, new long[] {-1, h}).sigmoid();
                    Tensor fg = Ops.slice(z, new long[] {0, h}, new long[] {-1, h}).sigmoid();
                    Tensor u = Ops.slice(z, new long[] {0, 2 * h}, new long[] {-1, h}).tanh();
                    Tensor c2 = fg.mul(c.get(1)).add(i.mul(u));
                    return List.of(c2.tanh().mul(i), c2);
                  },
                  List.of(in.get(2)),
                  List.of(in.get(0), in.get(1)),
                  false,
                  "lstm");
          return Ops.add(Ops.reduceSum(hc.get(0), false), Ops.reduceSum(hc.get(1), false));
        },
        List.of(
            rand(r, 2, h), rand(r, 2, h), rand(r, t, 2, 2), rand(r, h + 2, 3 * h), rand(r, 3 * h)));
  }

  @Test
  void reverseGeneralFormWithReluMaximumAndTranspose() {
    Random r = new Random(7);
    compare(
        in -> {
          ScanResult res =
              Scans.general(
                  (c, x) -> {
                    Tensor hNew =
                        Ops.maximum(c.get(0).matmul(in.get(2)).add(x.get(0)), c.get(0).mul(0.5f))
                            .relu();
                    return new Step(
                        List.of(hNew),
                        List.of(Ops.transpose(hNew).mul(x.get(0).sum()), hNew.exp()));
                  },
                  List.of(in.get(1)),
                  List.of(in.get(0)),
                  true,
                  "rev");
          return Ops.add(
              Ops.add(
                  Ops.reduceSum(res.ys().get(0), false), Ops.reduceMean(res.ys().get(1), false)),
              Ops.reduceSum(res.carry(), false));
        },
        List.of(rand(r, 1, 4), rand(r, 6, 1, 4), rand(r, 4, 4)));
  }

  @Test
  void seedShapedRnnMatchesOverAFewSequenceLengths() {
    // weights scaled as in the seed (|w| of order 0.1), where the recurrence is not chaotic
    for (int t : new int[] {5, 27, 49}) {
      Random r = new Random(t);
      int h = 32;
      compare(
          in -> {
            Tensor states =
                Scans.scan(
                    (hp, x) ->
                        hp.reshape(1, h)
                            .matmul(in.get(1))
                            .add(x.reshape(1, 1).matmul(in.get(2)))
                            .add(in.get(3))
                            .tanh()
                            .reshape(h),
                    in.get(0),
                    Ops.zerosLike(in.get(3)),
                    false,
                    "states");
            return states.matmul(in.get(4));
          },
          List.of(rand(r, t, 1), rand(r, h, h).mul(0.2), rand(r, 1, h), rand(r, h), rand(r, h, 1)));
    }
  }

  @Test
  void swappedAndPassedThroughCarries() {
    Random r = new Random(9);
    compare(
        in -> {
          List<Tensor> out =
              Scans.scan(
                  (c, x) -> List.of(c.get(1), c.get(0).add(x.get(0)), c.get(2)),
                  List.of(in.get(2)),
                  List.of(in.get(0), in.get(1), in.get(3)),
                  false,
                  "swap");
          return Ops.add(
              Ops.add(
                  Ops.reduceSum(out.get(0), false), Ops.reduceSum(Ops.square(out.get(1)), false)),
              Ops.reduceSum(out.get(2), false));
        },
        List.of(rand(r, 3), rand(r, 3), rand(r, 5, 3), rand(r, 2)));
  }

  @Test
  void carriesSwappedOrReturnedThroughReshapesWhichShareBuffers() {
    Random r = new Random(10);
    compare(
        in -> {
          List<Tensor> out =
              Scans.scan(
                  (c, x) ->
                      List.of(
                          Ops.identity(c.get(1)).add(x.get(0)).tanh(),
                          c.get(0).reshape(1, 3).reshape(3), // the old carry 0, through reshapes
                          Ops.stopGradient(c.get(2)).reshape(2), // unchanged through a reshape
                          c.get(3).reshape(1, 3).mul(x.get(0).reshape(1, 3)).reshape(3, 1)),
                  List.of(in.get(2)),
                  List.of(in.get(0), in.get(1), in.get(3), in.get(4)),
                  false,
                  "aliases");
          Tensor sum = Ops.reduceSum(Ops.square(out.get(1)), false);
          sum = Ops.add(sum, Ops.reduceSum(out.get(0).reshape(-1, 1), false));
          sum = Ops.add(sum, Ops.reduceSum(out.get(2), false));
          return Ops.add(sum, Ops.reduceSum(out.get(3), false));
        },
        List.of(rand(r, 3), rand(r, 3), rand(r, 6, 3), rand(r, 2), rand(r, 3, 1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void rowBroadcastsAndOuterProducts(int t) {
    Random r = new Random(20 + t);
    int b = 2 + r.nextInt(3);
    int h = 3 + r.nextInt(5);
    compare(
        in ->
            Scans.scan(
                (c, x) -> {
                  Tensor row = in.get(2); // [h]
                  Tensor col = x.reshape(b, 1); // [b, 1]
                  Tensor outer = Ops.matmul(col, row.reshape(1, h), false, false); // k = 1
                  Tensor outerT =
                      Ops.matmul(col.reshape(1, b), row.reshape(h, 1), true, true); // k = 1
                  Tensor y = Ops.sub(row, c).add(Ops.sub(c, row)).mul(row); // [b, h]
                  y = y.add(Ops.mul(row, c)).add(outer).sub(outerT);
                  Tensor three = c.reshape(b, 1, h).add(row).reshape(b, h); // [b, 1, h] + [h]
                  return y.add(three).tanh();
                },
                in.get(1),
                in.get(0),
                false,
                "rows"),
        List.of(rand(r, b, h), rand(r, t, b), rand(r, h)));
  }
}
