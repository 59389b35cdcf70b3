package dev.scanflow.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.exec.Session;
import dev.scanflow.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {
  @Test
  void placeholdersKeepUnknownDimensionsAndShapesAreInferred() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1, 1);
    Tensor w = g.variable("w", Initializer.zeros(), DType.FLOAT32, true, 1, 4);
    Tensor y = x.matmul(w).add(g.constant(new float[] {1, 2, 3, 4}));
    assertEquals(Shape.of(-1, 4), y.shape());
    assertEquals("[?,4]", y.shape().toString());
    assertEquals(Shape.scalar(), y.sum().shape());
    assertEquals(Shape.of(-1), y.sum(1).shape());
    assertEquals(Shape.of(4, -1), y.transpose().shape());
    assertEquals(Shape.of(-1), y.reshape(-1).shape());
  }

  @Test
  void shapeMismatchNamesOpNodeAndBothShapes() {
    Graph g = new Graph();
    Tensor a = g.placeholder("a", DType.FLOAT32, 1, 256);
    Tensor b = g.placeholder("b", DType.FLOAT32, 128, 256);
    GraphException e;
    try (var s = g.nameScope("rnn")) {
      e = assertThrows(GraphException.class, () -> a.matmul(b));
    }
    assertEquals(
        "matmul: inner dimensions differ: [1,256] x [128,256] (node rnn/matmul)", e.getMessage());
    GraphException add =
        assertThrows(GraphException.class, () -> a.add(g.placeholder("c", DType.FLOAT32, 3)));
    assertTrue(add.getMessage().contains("[1,256] and [3]"), add.getMessage());
    GraphException types =
        assertThrows(GraphException.class, () -> a.add(g.placeholder("d", DType.FLOAT64, 1)));
    assertTrue(types.getMessage().contains("float32 and float64"), types.getMessage());
  }

  @Test
  void namesAreScopedAndUnique() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, 2);
    Tensor a;
    Tensor b;
    try (var s = g.nameScope("outer")) {
      try (var t = g.nameScope("inner")) {
        a = x.tanh();
        b = x.tanh();
      }
    }
    assertEquals("outer/inner/tanh", a.name());
    assertEquals("outer/inner/tanh_1", b.name());
  }

  @Test
  void getVariableFollowsTensorFlowReuseRules() {
    Graph g = new Graph();
    Tensor w;
    try (var s = g.variableScope("model", Initializer.constant(3), false)) {
      w = g.getVariable("w", new long[] {2}, null);
      assertEquals("model/w", w.name());
      GraphException dup =
          assertThrows(GraphException.class, () -> g.getVariable("w", new long[] {2}, null));
      assertTrue(dup.getMessage().contains("model/w already exists"), dup.getMessage());
    }
    try (var s = g.variableScope("model", null, true)) {
      assertSame(w.node(), g.getVariable("w", new long[] {2}, null).node());
      GraphException shape =
          assertThrows(GraphException.class, () -> g.getVariable("w", new long[] {3}, null));
      assertTrue(shape.getMessage().contains("[3]"), shape.getMessage());
      GraphException missing =
          assertThrows(GraphException.class, () -> g.getVariable("v", new long[] {2}, null));
      assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
    Tensor z;
    try (var s = g.variableScope("other", Initializer.constant(5), false)) {
      z = g.getVariable("z", new long[] {2}, Initializer.zeros());
    }
    assertEquals(List.of(w, z), g.trainableVariables());
    try (Session s = new Session(g)) {
      s.initializeVariables();
      assertEquals(3f, s.valueOf(w).getFloat(0), "scope initializer is the default");
      assertEquals(0f, s.valueOf(z).getFloat(1), "explicit initializer wins");
    }
  }

  @Test
  void uniformInitializerStaysInRangeAndIsSeeded() {
    Graph g = new Graph().setSeed(42);
    Tensor w = g.getVariable("w", new long[] {64, 64}, Initializer.uniform(-0.1, 0.1));
    try (Session a = new Session(g);
        Session b = new Session(g)) {
      a.initializeVariables();
      b.initializeVariables();
      assertTrue(a.valueOf(w).amaxNumber().doubleValue() <= 0.1);
      assertTrue(a.valueOf(w).amaxNumber().doubleValue() > 0.09);
      assertEquals(a.valueOf(w), b.valueOf(w));
    }
  }

  @Test
  void printsOneLinePerNode() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32, -1, 3);
    Ops.reduceSum(x.tanh(), false, 1);
    String text = g.toString();
    assertEquals(3, text.lines().count(), text);
    assertTrue(text.contains("x = placeholder[float32[?,3]]() -> float32[?,3]"), text);
    assertTrue(text.contains("reduce_sum = reduce_sum[axes=[1]](tanh) -> float32[?]"), text);
  }

  @Test
  void tensorsOfAnotherGraphAreRejected() {
    Graph g1 = new Graph();
    Graph g2 = new Graph();
    Tensor a = g1.constant(1f);
    Tensor b = g2.constant(2f);
    GraphException e = assertThrows(GraphException.class, () -> a.add(b));
    assertTrue(e.getMessage().contains("another graph"), e.getMessage());
  }
}
