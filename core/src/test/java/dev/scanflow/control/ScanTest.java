package dev.scanflow.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.exec.ExecutionException;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScanTest {

  // ---- goldens ---------------------------------------------------------------------------------

  @Test
  void cumulativeSumMatchesTheSeed() {
    Graph g = new Graph();
    Tensor elems = Ops.identity(g.variable("elems", Nd4j.createFromArray(1f, 2f, 2f, 2f)));
    Tensor out = Scans.scan((acc, x) -> acc.add(x), elems, g.constant(0f));
    try (Session s = new Session(g)) {
      s.initializeVariables();
      assertArrayEquals(new float[] {1, 3, 5, 7}, s.run(out).toFloatVector());
    }
  }

  @Test
  void noInitializerFormSeedsWithFirstRow() {
    Graph g = new Graph();
    Tensor elems = g.constant(1f, 2f, 3f, 4f);
    Tensor out = Scans.scan((acc, x) -> acc.mul(x), elems);
    Tensor rev = Scans.scan((acc, x) -> acc.add(x), elems, true, "rev");
    try (Session s = new Session(g)) {
      assertArrayEquals(new float[] {1, 2, 6, 24}, s.run(out).toFloatVector());
      assertArrayEquals(new float[] {10, 9, 7, 4}, s.run(rev).toFloatVector());
    }
  }

  @Test
  void reverseRunsBackwardsAndKeepsOrder() {
    Graph g = new Graph();
    Tensor elems = g.constant(1f, 2f, 2f, 2f);
    Tensor out = Scans.scan((acc, x) -> acc.add(x), elems, g.constant(0f), true, "rev");
    try (Session s = new Session(g)) {
      assertArrayEquals(new float[] {7, 6, 4, 2}, s.run(out).toFloatVector());
    }
  }

  @Test
  void tupleCarriesAndTupleElems() {
    Graph g = new Graph();
    Tensor a = g.constant(1f, 2f, 3f);
    Tensor b = g.constant(10f, 20f, 30f);
    // carry (sum, product): sum += a, product *= b
    List<Tensor> out =
        Scans.scan(
            (c, x) -> List.of(c.get(0).add(x.get(0)), c.get(1).mul(x.get(1))),
            List.of(a, b),
            List.of(g.constant(0f), g.constant(1f)),
            false,
            "pair");
    try (Session s = new Session(g)) {
      assertArrayEquals(new float[] {1, 3, 6}, s.run(out.get(0)).toFloatVector());
      assertArrayEquals(new float[] {10, 200, 6000}, s.run(out.get(1)).toFloatVector());
    }
  }

  @Test
  void generalFormReturnsFinalCarryAndOutputs() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1);
    ScanResult r = Scans.general((c, e) -> Step.of(c.add(e), c.mul(e)), x, g.constant(0f));
    try (Session s = new Session(g)) {
      List<INDArray> out =
          s.run(List.of(r.carry(), r.y()), Map.of(x, Nd4j.createFromArray(1f, 2f, 3f)));
      assertEquals(6f, out.get(0).getFloat(0));
      assertArrayEquals(new float[] {0, 2, 9}, out.get(1).toFloatVector());
    }
  }

  @Test
  void dynamicLengthsIncludingZeroAndOne() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1, 2);
    Tensor h0 = g.constant(Nd4j.createFromArray(5f, 7f));
    ScanResult r = Scans.general((c, e) -> Step.of(c.add(e), c.sub(e)), x, h0);
    try (Session s = new Session(g)) {
      List<INDArray> empty =
          s.run(List.of(r.carry(), r.y()), Map.of(x, Nd4j.create(DataType.FLOAT, 0, 2)));
      assertArrayEquals(new float[] {5, 7}, empty.get(0).toFloatVector());
      assertArrayEquals(new long[] {0, 2}, empty.get(1).shape());
      List<INDArray> one =
          s.run(List.of(r.carry(), r.y()), Map.of(x, Nd4j.createFromArray(new float[][] {{1, 2}})));
      assertArrayEquals(new float[] {6, 9}, one.get(0).toFloatVector());
      assertArrayEquals(new long[] {1, 2}, one.get(1).shape());
      assertArrayEquals(new float[] {4, 5}, one.get(1).toFloatVector());
      int plans = s.cachedPlanCount();
      s.run(List.of(r.carry(), r.y()), Map.of(x, Nd4j.rand(DataType.FLOAT, 7, 2)));
      assertEquals(plans, s.cachedPlanCount(), "plans are reused across lengths");
    }
  }

  @Test
  void seedRnnForwardRunsWithVariablesCreatedInsideTheBody() {
    Graph g = new Graph();
    Tensor inputs = g.placeholder("inputs", DType.FLOAT32, -1, 1);
    Tensor states;
    try (var scope =
        g.variableScope("model", dev.scanflow.graph.Initializer.uniform(-0.1, 0.1), false)) {
      states =
          Scans.scan(
              (hPrev, x) -> {
                try (var block = g.variableScope("rnn_block")) {
                  Tensor wh = g.getVariable("W_h", new long[] {4, 4}, null);
                  Tensor wx = g.getVariable("W_x", new long[] {1, 4}, null);
                  Tensor b =
                      g.getVariable("b", new long[] {4}, dev.scanflow.graph.Initializer.zeros());
                  Tensor h =
                      hPrev.reshape(1, 4).matmul(wh).add(x.reshape(1, 1).matmul(wx)).add(b).tanh();
                  return h.reshape(4);
                }
              },
              inputs,
              Ops.fill(g, DType.FLOAT32, 0, 4),
              false,
              "states");
    }
    assertEquals(3, g.trainableVariables().size());
    assertEquals("model/rnn_block/W_h", g.trainableVariables().get(0).name());
    try (Session s = new Session(g)) {
      s.initializeVariables();
      INDArray h = s.run(states, Map.of(inputs, Nd4j.rand(DataType.FLOAT, 5, 1)));
      assertArrayEquals(new long[] {5, 4}, h.shape());
      assertTrue(h.amaxNumber().doubleValue() < 1.0);
    }
  }

  // ---- build-time errors -----------------------------------------------------------------------

  @Test
  void carryWithAnotherShapeIsReportedByComponent() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1, 3);
    GraphException e =
        assertThrows(
            GraphException.class,
            () ->
                Scans.scan(
                    (c, e2) -> List.of(c.get(0), c.get(1).reshape(1, 3)),
                    List.of(x),
                    List.of(g.constant(0f), Ops.fill(g, DType.FLOAT32, 0, 3)),
                    false,
                    "s"));
    assertTrue(e.getMessage().contains("carry component 1"), e.getMessage());
    assertTrue(e.getMessage().contains("[1,3]") && e.getMessage().contains("[3]"), e.getMessage());
  }

  @Test
  void carryWithAnotherDtypeIsReported() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1);
    GraphException e =
        assertThrows(
            GraphException.class,
            () -> Scans.scan((c, e2) -> c.cast(DType.FLOAT64), x, g.constant(0f)));
    assertTrue(
        e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void tupleElemsOfDifferentLengthsAreRejected() {
    Graph g = new Graph();
    GraphException e =
        assertThrows(
            GraphException.class,
            () ->
                Scans.scan(
                    (c, x) -> List.of(c.get(0).add(x.get(0)).add(x.get(1))),
                    List.of(g.constant(1f, 2f), g.constant(1f, 2f, 3f)),
                    List.of(g.constant(0f)),
                    false,
                    "s"));
    assertTrue(e.getMessage().contains("different lengths"), e.getMessage());
    Tensor a = g.placeholder("a", DType.FLOAT32, -1);
    Tensor b = g.placeholder("b", DType.FLOAT32, -1);
    List<Tensor> out =
        Scans.scan(
            (c, x) -> List.of(c.get(0).add(x.get(0)).add(x.get(1))),
            List.of(a, b),
            List.of(g.constant(0f)),
            false,
            "dyn");
    try (Session s = new Session(g)) {
      ExecutionException ex =
          assertThrows(
              ExecutionException.class,
              () ->
                  s.run(
                      out.get(0),
                      Map.of(a, Nd4j.createFromArray(1f), b, Nd4j.createFromArray(1f, 2f))));
      assertTrue(ex.getMessage().contains("different lengths"), ex.getMessage());
    }
  }

  @Test
  void wrongArityIsRejected() {
    Graph g = new Graph();
    GraphException e =
        assertThrows(
            GraphException.class,
            () ->
                Scans.scan(
                    (c, x) -> List.of(c.get(0), c.get(0)),
                    List.of(g.constant(1f, 2f)),
                    List.of(g.constant(0f)),
                    false,
                    "s"));
    assertTrue(e.getMessage().contains("2 carry components, expected 1"), e.getMessage());
  }

  @Test
  void bodyTensorsCannotLeakOut() {
    Graph g = new Graph();
    Tensor[] leaked = new Tensor[1];
    Scans.scan((c, x) -> (leaked[0] = c.add(x)), g.constant(1f, 2f), g.constant(0f));
    GraphException e = assertThrows(GraphException.class, () -> leaked[0].mul(2));
    assertTrue(e.getMessage().contains("scan body"), e.getMessage());
  }

  // ---- gradients -------------------------------------------------------------------------------

  static final int H = 3;

  /** A vanilla RNN step: h = tanh(h W_h + x W_x + b), carry [1,H], x [D]. */
  static Tensor rnnStep(Tensor h, Tensor x, Tensor wh, Tensor wx, Tensor b) {
    return h.matmul(wh).add(x.reshape(1, -1).matmul(wx)).add(b).tanh();
  }

  /** Inputs: h0 [1,H], xs [T,2], W_h [H,H], W_x [2,H], b [H]. */
  static List<INDArray> rnnInputs(int t) {
    return List.of(
        GradCheck.uniform(1, -0.5, 0.5, 1, H),
        GradCheck.uniform(2, -1, 1, t, 2),
        GradCheck.uniform(3, -0.8, 0.8, H, H),
        GradCheck.uniform(4, -0.8, 0.8, 2, H),
        GradCheck.uniform(5, -0.3, 0.3, H));
  }

  static Tensor rnnScan(List<Tensor> in, boolean reverse) {
    ScanResult r =
        Scans.general(
            (c, x) -> {
              Tensor h = rnnStep(c.get(0), x.get(0), in.get(2), in.get(3), in.get(4));
              return new Step(List.of(h), List.of(h.reshape(H)));
            },
            List.of(in.get(1)),
            List.of(in.get(0)),
            reverse,
            "rnn");
    // use both the stacked outputs and the final carry
    return Ops.add(Ops.reduceSum(Ops.mul(r.y(), r.y()), false), Ops.reduceSum(r.carry(), false));
  }

  static Tensor rnnUnrolled(List<Tensor> in, int t, boolean reverse) {
    Tensor h = in.get(0);
    List<Tensor> xs = t == 0 ? List.of() : Ops.unstack(in.get(1), 0);
    Tensor[] ys = new Tensor[t];
    for (int i = 0; i < t; i++) {
      int k = reverse ? t - 1 - i : i;
      h = rnnStep(h, xs.get(k), in.get(2), in.get(3), in.get(4));
      ys[k] = h.reshape(H);
    }
    Tensor sumSq =
        t == 0
            ? Ops.scalarLike(h, 0)
            : Ops.reduceSum(Ops.mul(Ops.stack(0, List.of(ys)), Ops.stack(0, List.of(ys))), false);
    return Ops.add(sumSq, Ops.reduceSum(h, false));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 50})
  void vanillaRnnGradientsMatchUnrolledAndFiniteDifferences(int t) {
    compare(in -> rnnScan(in, false), in -> rnnUnrolled(in, t, false), rnnInputs(t));
  }

  @Test
  void backwardStepReadsSavedCarriesInsteadOfRecomputingTheForwardStep() {
    Graph g = new Graph();
    List<Tensor> in = new ArrayList<>();
    for (INDArray a : rnnInputs(4)) {
      in.add(g.constant(a));
    }
    Tensor loss = rnnScan(in, false);
    Gradients.of(loss, List.of(in.get(2)));
    Scan back = null;
    for (dev.scanflow.graph.Node n : g.root().nodes()) {
      if (n.op() instanceof Scan s && n.name().endsWith("_grad")) {
        back = s;
      }
    }
    assertTrue(back != null, "no backward scan in\n" + g);
    // what the backward step computes: everything its outputs depend on inside its frame
    Scan.Body body = back.body();
    java.util.Set<dev.scanflow.graph.Node> live = new java.util.HashSet<>();
    List<Tensor> todo = new ArrayList<>(body.carryOuts());
    todo.addAll(body.ys());
    while (!todo.isEmpty()) {
      dev.scanflow.graph.Node n = todo.remove(todo.size() - 1).node();
      if (n.frame() == body.frame() && live.add(n)) {
        todo.addAll(n.inputs());
      }
    }
    List<String> forwardOps = new ArrayList<>();
    for (dev.scanflow.graph.Node n : live) {
      if (n.op() instanceof dev.scanflow.ops.Tanh
          || (n.op() instanceof dev.scanflow.ops.MatMul m && !m.transposeX() && !m.transposeY())) {
        forwardOps.add(n.name());
      }
    }
    assertTrue(forwardOps.isEmpty(), "the backward step recomputes " + forwardOps);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 50})
  void reverseScanGradientsMatchUnrolled(int t) {
    compare(in -> rnnScan(in, true), in -> rnnUnrolled(in, t, true), rnnInputs(t));
  }

  /** LSTM-like cell with tuple carry (h, c): gates from [h, x] through one weight matrix. */
  static List<Tensor> lstmStep(Tensor h, Tensor c, Tensor x, Tensor w, Tensor b) {
    Tensor z = Ops.concat(1, h, x.reshape(1, -1)).matmul(w).add(b); // [1, 4H]
    List<Tensor> gates = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      gates.add(Ops.slice(z, new long[] {0, (long) k * H}, new long[] {1, H}));
    }
    Tensor i = gates.get(0).sigmoid();
    Tensor f = gates.get(1).sigmoid();
    Tensor o = gates.get(2).sigmoid();
    Tensor u = gates.get(3).tanh();
    Tensor c2 = f.mul(c).add(i.mul(u));
    Tensor h2 = o.mul(c2.tanh());
    return List.of(h2, c2);
  }

  static List<INDArray> lstmInputs(int t) {
    return List.of(
        GradCheck.uniform(11, -0.5, 0.5, 1, H),
        GradCheck.uniform(12, -0.5, 0.5, 1, H),
        GradCheck.uniform(13, -1, 1, t, 2),
        GradCheck.uniform(14, -0.6, 0.6, H + 2, 4 * H),
        GradCheck.uniform(15, -0.3, 0.3, 4 * H));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 50})
  void lstmTupleCarryGradientsMatchUnrolled(int t) {
    Function<List<Tensor>, Tensor> scan =
        in -> {
          List<Tensor> hs =
              Scans.scan(
                  (c, x) -> lstmStep(c.get(0), c.get(1), x.get(0), in.get(3), in.get(4)),
                  List.of(in.get(2)),
                  List.of(in.get(0), in.get(1)),
                  false,
                  "lstm");
          return Ops.add(
              Ops.reduceSum(hs.get(0), false), Ops.reduceSum(Ops.square(hs.get(1)), false));
        };
    Function<List<Tensor>, Tensor> unrolled =
        in -> {
          Tensor h = in.get(0);
          Tensor c = in.get(1);
          Tensor total = Ops.scalarLike(h, 0);
          List<Tensor> xs = t == 0 ? List.of() : Ops.unstack(in.get(2), 0);
          for (int i = 0; i < t; i++) {
            List<Tensor> hc = lstmStep(h, c, xs.get(i), in.get(3), in.get(4));
            h = hc.get(0);
            c = hc.get(1);
            total =
                Ops.add(
                    total, Ops.add(Ops.reduceSum(h, false), Ops.reduceSum(Ops.square(c), false)));
          }
          return total;
        };
    compare(scan, unrolled, lstmInputs(t));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 6})
  void nestedScanGradientsMatchUnrolled(int t) {
    // outer over rows of X [T,4]; inner accumulates a = tanh(a * w + x_k) over the row's elements
    List<INDArray> inputs =
        List.of(
            GradCheck.uniform(21, -1, 1, t, 4),
            GradCheck.uniform(22, 0.2, 0.9),
            GradCheck.uniform(23, -0.5, 0.5));
    Function<List<Tensor>, Tensor> scan =
        in -> {
          Tensor out =
              Scans.scan(
                  (acc, row) ->
                      Scans.scan((a, x) -> a.mul(in.get(1)).add(x).tanh(), row, acc, false, "inner")
                          .reshape(-1)
                          .sum()
                          .add(acc.mul(0.5)),
                  in.get(0),
                  in.get(2),
                  false,
                  "outer");
          return Ops.reduceSum(Ops.square(out), false);
        };
    Function<List<Tensor>, Tensor> unrolled =
        in -> {
          Tensor acc = in.get(2);
          Tensor total = Ops.scalarLike(acc, 0);
          List<Tensor> rows = t == 0 ? List.of() : Ops.unstack(in.get(0), 0);
          for (Tensor row : rows) {
            Tensor a = acc;
            Tensor sum = Ops.scalarLike(acc, 0);
            for (Tensor x : Ops.unstack(row, 0)) {
              a = a.mul(in.get(1)).add(x).tanh();
              sum = sum.add(a);
            }
            acc = sum.add(acc.mul(0.5));
            total = total.add(Ops.square(acc));
          }
          return total;
        };
    compare(scan, unrolled, inputs);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 50})
  void stackedScansGradientsMatchUnrolled(int t) {
    // layer 1 over xs [T,2] gives states [T,H]; layer 2 scans those states
    List<INDArray> inputs =
        List.of(
            GradCheck.uniform(31, -1, 1, t, 2),
            GradCheck.uniform(32, -0.8, 0.8, H, H),
            GradCheck.uniform(33, -0.8, 0.8, 2, H),
            GradCheck.uniform(34, -0.8, 0.8, H, H),
            GradCheck.uniform(35, -0.8, 0.8, H, H),
            GradCheck.uniform(36, -0.3, 0.3, H));
    Function<List<Tensor>, Tensor> scan =
        in -> {
          Tensor h0 = Ops.zerosLike(in.get(5)).reshape(1, H);
          Tensor s1 =
              Scans.scan(
                  (h, x) -> rnnStep(h, x, in.get(1), in.get(2), in.get(5)),
                  in.get(0),
                  h0,
                  false,
                  "layer1");
          Tensor s2 =
              Scans.scan(
                  (h, x) -> rnnStep(h, x, in.get(3), in.get(4), in.get(5)),
                  s1,
                  h0,
                  false,
                  "layer2");
          return Ops.reduceSum(Ops.square(s2), false);
        };
    Function<List<Tensor>, Tensor> unrolled =
        in -> {
          Tensor h0 = Ops.zerosLike(in.get(5)).reshape(1, H);
          Tensor h1 = h0;
          Tensor h2 = h0;
          Tensor total = Ops.scalarLike(h0, 0);
          List<Tensor> xs = t == 0 ? List.of() : Ops.unstack(in.get(0), 0);
          for (Tensor x : xs) {
            h1 = rnnStep(h1, x, in.get(1), in.get(2), in.get(5));
            h2 = rnnStep(h2, h1.reshape(H), in.get(3), in.get(4), in.get(5));
            total = total.add(Ops.reduceSum(Ops.square(h2), false));
          }
          return total;
        };
    compare(scan, unrolled, inputs);
  }

  /** Scan gradients equal the unrolled graph's (tight) and finite differences. */
  static void compare(
      Function<List<Tensor>, Tensor> scan,
      Function<List<Tensor>, Tensor> unrolled,
      List<INDArray> inputs) {
    List<INDArray> viaScan = GradCheck.check(scan, inputs, 1e-5);
    List<INDArray> viaUnrolled = GradCheck.analytic(unrolled, inputs);
    for (int i = 0; i < inputs.size(); i++) {
      INDArray a = viaScan.get(i);
      INDArray b = viaUnrolled.get(i);
      assertArrayEquals(b.shape(), a.shape(), "shape of gradient " + i);
      if (a.length() > 0) {
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(
            diff <= 1e-10 * Math.max(1, b.amaxNumber().doubleValue()),
            "gradient " + i + " differs from the unrolled graph by " + diff);
      }
    }
  }

  @Test
  void secondOrderGradientThroughScan() {
    // f(w) = sum_t (w^t-ish recurrence); compare d2f/dw2 with finite differences of df/dw
    List<INDArray> inputs =
        List.of(GradCheck.uniform(41, 0.3, 0.7), GradCheck.uniform(42, -1, 1, 5));
    GradCheck.check(
        in -> {
          Tensor w = in.get(0);
          Tensor out = Scans.scan((a, x) -> a.mul(w).add(x).tanh(), in.get(1), Ops.zerosLike(w));
          Tensor f = Ops.reduceSum(Ops.square(out), false);
          return Gradients.of(f, List.of(w)).get(0);
        },
        inputs,
        1e-5);
  }

  @Test
  void tenThousandStepsForwardAndBackward() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1, 1);
    Tensor w = g.variable("w", Nd4j.createFromArray(new float[][] {{0.5f, -0.25f}}));
    Tensor wh = g.variable("wh", Nd4j.createFromArray(new float[][] {{0.3f, 0.1f}, {-0.2f, 0.4f}}));
    Tensor h =
        Scans.scan(
            (hp, xt) -> hp.matmul(wh).add(xt.reshape(1, 1).matmul(w)).tanh(),
            x,
            Ops.fill(g, DType.FLOAT32, 0, 1, 2));
    Tensor loss = Ops.reduceMean(Ops.square(h), false);
    List<Tensor> grads = Gradients.of(loss, List.of(w, wh));
    try (Session s = new Session(g)) {
      s.initializeVariables();
      INDArray xs = Nd4j.ones(DataType.FLOAT, 10_000, 1);
      List<INDArray> out = s.run(List.of(loss, grads.get(0), grads.get(1)), Map.of(x, xs));
      assertTrue(Double.isFinite(out.get(0).getDouble(0)));
      assertTrue(out.get(1).amaxNumber().doubleValue() > 0, "gradient flows over 10,000 steps");
    }
  }
}
