package dev.scanflow.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SessionTest {
  @Test
  void runsFetchesWithFeedsAndTheRunnerBuilder() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1);
    Tensor y = x.mul(2).add(1);
    try (Session s = new Session(g)) {
      assertArrayEquals(
          new float[] {3, 5}, s.run(y, Map.of(x, Nd4j.createFromArray(1f, 2f))).toFloatVector());
      List<INDArray> out = s.runner().feed(x, Nd4j.createFromArray(0f)).fetch(y, x).run();
      assertEquals(1f, out.get(0).getFloat(0));
      assertEquals(0f, out.get(1).getFloat(0));
    }
  }

  @Test
  void runsOnlyTheNeededSubgraphAndCachesPlans() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, 1);
    Tensor unused = g.placeholder("unused", DType.FLOAT32, 1);
    Tensor y = x.exp();
    unused.log();
    Compilation.setEnabled(false); // the generic plan's caching; compiled frames are cached alike
    try (Session s = new Session(g)) {
      runsOnlyTheNeededSubgraph(s, g, x, y);
    } finally {
      Compilation.setEnabled(true);
    }
  }

  private static void runsOnlyTheNeededSubgraph(Session s, Graph g, Tensor x, Tensor y) {
    {
      s.run(y, Map.of(x, Nd4j.createFromArray(0f)));
      s.run(y, Map.of(x, Nd4j.createFromArray(1f)));
      assertEquals(1, s.cachedPlanCount(), "same fetch/feed signature reuses the plan");
      Plan p = s.plan(g.root(), List.of(x), List.of(y));
      assertEquals(1, p.size(), "only exp runs; the unused placeholder is not needed");
      // feeding an intermediate tensor skips what computes it
      assertEquals(5f, s.run(y.add(1), Map.of(y, Nd4j.createFromArray(4f))).getFloat(0));
    }
  }

  @Test
  void missingFeedNamesThePlaceholder() {
    Graph g = new Graph();
    Tensor x = g.placeholder("inputs", DType.FLOAT32, -1, 1);
    Tensor y = x.tanh();
    try (Session s = new Session(g)) {
      GraphException e = assertThrows(GraphException.class, () -> s.run(y));
      assertEquals("missing feed for placeholder inputs (expected float32[?,1])", e.getMessage());
    }
  }

  @Test
  void badFeedsNameThePlaceholderAndExpectedShape() {
    Graph g = new Graph();
    Tensor x = g.placeholder("inputs", DType.FLOAT32, -1, 1);
    Tensor y = x.tanh();
    try (Session s = new Session(g)) {
      IllegalArgumentException rank =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.run(y, Map.of(x, Nd4j.createFromArray(1f, 2f))));
      assertEquals(
          "feed for placeholder inputs: expected float32[?,1], got float32[2]", rank.getMessage());
      IllegalArgumentException dims =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.run(y, Map.of(x, Nd4j.zeros(DataType.FLOAT, 3, 2))));
      assertTrue(dims.getMessage().contains("got float32[3,2]"), dims.getMessage());
      IllegalArgumentException type =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.run(y, Map.of(x, Nd4j.zeros(DataType.DOUBLE, 3, 1))));
      assertTrue(type.getMessage().contains("got float64[3,1]"), type.getMessage());
    }
  }

  @Test
  void fetchingANodeOfAnotherGraphFails() {
    Graph g = new Graph();
    Graph other = new Graph();
    Tensor c = other.constant(1f);
    try (Session s = new Session(g)) {
      GraphException e = assertThrows(GraphException.class, () -> s.run(c));
      assertTrue(e.getMessage().contains("belongs to another graph"), e.getMessage());
    }
  }

  @Test
  void closedSessionRefusesToRun() {
    Graph g = new Graph();
    Tensor c = g.constant(1f);
    Session s = new Session(g);
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.run(c));
    assertEquals("session is closed", e.getMessage());
  }

  @Test
  void variablesAreReadAtRunStartAndAssignedAtRunEnd() {
    Graph g = new Graph();
    Tensor v = g.variable("v", Nd4j.createFromArray(1f));
    Tensor read = v.mul(10);
    Tensor update = Ops.group("train", List.of(Ops.assign(v, v.add(1))));
    try (Session s = new Session(g)) {
      IllegalStateException uninit = assertThrows(IllegalStateException.class, () -> s.run(read));
      assertTrue(
          uninit.getMessage().contains("variable v is not initialized"), uninit.getMessage());
      s.initializeVariables();
      List<INDArray> out = s.run(List.of(read, update), Map.of());
      assertEquals(10f, out.get(0).getFloat(0), "read before the update");
      assertEquals(2f, s.valueOf(v).getFloat(0));
      s.run(update);
      assertEquals(3f, s.valueOf(v).getFloat(0));
      IllegalArgumentException bad =
          assertThrows(
              IllegalArgumentException.class, () -> s.setValue(v, Nd4j.createFromArray(1f, 2f)));
      assertTrue(
          bad.getMessage().contains("expected float32[1], got float32[2]"), bad.getMessage());
    }
  }

  @Test
  void assignInsideAScanBodyIsRejected() {
    Graph g = new Graph();
    Tensor v = g.variable("v", Nd4j.createFromArray(1f));
    GraphException e =
        assertThrows(
            GraphException.class,
            () ->
                dev.scanflow.control.Scans.scan(
                    (a, x) -> Ops.assign(v, a.add(x)),
                    g.constant(1f, 2f),
                    g.constant(Nd4j.createFromArray(0f))));
    assertTrue(e.getMessage().contains("cannot be used inside scan body"), e.getMessage());
  }

  @Test
  void intermediatesAreReleasedAfterTheirLastUse() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, 3);
    Tensor a = x.exp();
    Tensor b = a.tanh();
    Tensor c = b.add(x);
    try (Session s = new Session(g)) {
      Plan p = s.plan(g.root(), List.of(x), List.of(c));
      assertEquals(3, p.size());
      assertTrue(p.releasesBeforeEnd() >= 2, "a and b are dropped once consumed");
      assertEquals(3, s.run(c, Map.of(x, Nd4j.zeros(DataType.FLOAT, 3))).length());
    }
  }

  @Test
  void compiledRunsMatchTheGenericPathIncludingIntegersBeyondFloatPrecision() {
    Graph g = new Graph();
    Tensor step = dev.scanflow.train.GlobalStep.of(g);
    Tensor x = g.placeholder("x", DType.FLOAT32, 2);
    Tensor w = g.variable("w", Nd4j.createFromArray(1f, 2f));
    Tensor y = x.mul(w).add(step.cast(DType.FLOAT32));
    Tensor update =
        Ops.group(
            "u",
            List.of(Ops.assign(step, step.add(Ops.scalarLike(step, 1))), Ops.assign(w, w.mul(2))));
    for (long start : new long[] {5, (1L << 24) + 1}) {
      List<INDArray> results = new java.util.ArrayList<>();
      for (boolean compiled : new boolean[] {true, false}) {
        Compilation.setEnabled(compiled);
        try (Session s = new Session(g)) {
          s.initializeVariables();
          s.setValue(step, Nd4j.scalar(start));
          INDArray out = s.run(List.of(y, update), Map.of(x, Nd4j.createFromArray(3f, 4f))).get(0);
          assertEquals(start + 1, s.valueOf(step).getLong(0), "global step increments exactly");
          assertEquals(DataType.LONG, s.valueOf(step).dataType());
          assertArrayEquals(new float[] {2, 4}, s.valueOf(w).toFloatVector());
          results.add(out);
        } finally {
          Compilation.setEnabled(true);
        }
      }
      assertEquals(results.get(1), results.get(0), "compiled and generic agree at step " + start);
    }
  }

  @Test
  void arraysHandedOutNeverChangeAfterLaterRuns() {
    Graph g = new Graph();
    Tensor w = g.variable("w", Nd4j.createFromArray(1f, 2f));
    Tensor same = Ops.identity(w);
    Tensor update = Ops.assign(w, w.mul(2));
    try (Session s = new Session(g)) {
      s.initializeVariables();
      s.run(update);
      s.run(update); // the second compiled run may update the session's own array in place
      Compilation.setEnabled(false);
      INDArray fetched;
      try {
        fetched = s.run(same); // the generic path may return the variable's array itself
      } finally {
        Compilation.setEnabled(true);
      }
      INDArray fetchedCompiled = s.run(w);
      s.run(update);
      s.run(update);
      assertArrayEquals(new float[] {4, 8}, fetched.toFloatVector());
      assertArrayEquals(new float[] {4, 8}, fetchedCompiled.toFloatVector());
      assertArrayEquals(new float[] {16, 32}, s.valueOf(w).toFloatVector());
    }
  }

  /** An RNN training step on sequences of any length: loss, and an SGD update of W_h [h, h]. */
  static List<Tensor> rnnTrainingStep(Graph g, int h) {
    Tensor xs = g.placeholder("xs", DType.FLOAT32, -1, 1, 1);
    Tensor wh =
        g.variable(
            "W_h",
            dev.scanflow.testing.GradCheck.uniform(7, -0.3, 0.3, h, h).castTo(DataType.FLOAT));
    Tensor wx =
        g.variable(
            "W_x", dev.scanflow.testing.GradCheck.uniform(8, -1, 1, 1, h).castTo(DataType.FLOAT));
    Tensor states =
        dev.scanflow.control.Scans.scan(
            (c, x) -> c.matmul(wh).add(x.matmul(wx)).tanh(),
            xs,
            Ops.fill(g, DType.FLOAT32, 0, 1, h),
            false,
            "rnn");
    Tensor loss = Ops.reduceMean(Ops.square(states), false);
    List<Tensor> grads = dev.scanflow.autodiff.Gradients.of(loss, List.of(wh));
    Tensor update = Ops.assign(wh, wh.sub(grads.get(0).mul(Ops.scalarLike(wh, 0.5))));
    return List.of(xs, wh, loss, update);
  }

  @Test
  void requestsForManySequenceLengthsShareTheirWorkBuffers() {
    int h = 24;
    int[] lengths = {3, 7, 3, 12, 5, 7, 9, 4, 11, 3};
    List<List<Float>> losses = new java.util.ArrayList<>();
    List<INDArray> weights = new java.util.ArrayList<>();
    for (boolean compiled : new boolean[] {true, false}) {
      Compilation.setEnabled(compiled);
      Graph g = new Graph();
      List<Tensor> t = rnnTrainingStep(g, h);
      List<Float> seen = new java.util.ArrayList<>();
      try (Session s = new Session(g)) {
        s.initializeVariables();
        int weightSized = -1;
        for (int len : lengths) {
          INDArray x = dev.scanflow.testing.GradCheck.uniform(len, -1, 1, len, 1, 1);
          x = x.castTo(DataType.FLOAT);
          seen.add(s.run(List.of(t.get(2), t.get(3)), Map.of(t.get(0), x)).get(0).getFloat(0));
          if (compiled) {
            int n = s.sharedBuffers().buffersOfSize(h * h);
            assertTrue(n > 0, "the compiled step holds weight-sized work buffers");
            if (weightSized < 0) {
              weightSized = n;
            }
            assertEquals(weightSized, n, "weight-sized buffers after length " + len);
            // the backward scan's running sum of dW_h has a history [len, h, h] nobody reads
            assertEquals(0, s.sharedBuffers().buffersOfSize(len * h * h), "unread history stored");
          }
        }
        weights.add(s.valueOf(t.get(1)));
      } finally {
        Compilation.setEnabled(true);
      }
      losses.add(seen);
    }
    for (int i = 0; i < lengths.length; i++) {
      assertEquals(losses.get(1).get(i), losses.get(0).get(i), 1e-5, "loss of run " + i);
    }
    double diff =
        weights
            .get(0)
            .castTo(DataType.DOUBLE)
            .sub(weights.get(1).castTo(DataType.DOUBLE))
            .amaxNumber()
            .doubleValue();
    assertTrue(diff < 1e-5, "weights differ by " + diff);
  }

  @Test
  void sharedBuffersAreDroppedWhenCompiledRequestsAreEvicted() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1);
    Tensor y = x.mul(Ops.scalarLike(x, 2));
    try (Session s = new Session(g)) {
      s.run(List.of(y), Map.of(x, Nd4j.ones(DataType.FLOAT, 1)));
      assertTrue(s.sharedBuffers().buffersOfSize(1) > 0, "the first request's buffers are shared");
      for (int n = 2; n <= 300; n++) { // more shapes than the session keeps compiled
        INDArray out = s.run(List.of(y), Map.of(x, Nd4j.ones(DataType.FLOAT, n))).get(0);
        assertEquals(2.0 * n, out.sumNumber().doubleValue(), 1e-6);
      }
      assertEquals(0, s.sharedBuffers().buffersOfSize(1), "buffers of evicted requests are kept");
      assertEquals(
          2f, s.run(List.of(y), Map.of(x, Nd4j.ones(DataType.FLOAT, 1))).get(0).getFloat(0));
    }
  }
}
