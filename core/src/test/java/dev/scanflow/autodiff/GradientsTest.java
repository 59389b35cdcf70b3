package dev.scanflow.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.testing.GradCheck;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

class GradientsTest {
  @Test
  void fanOutAccumulates() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT64, 3);
    Tensor y = Ops.reduceSum(x.mul(x).add(x.tanh()).add(x), false); // dy/dx = 2x + 1 - tanh^2 + 1
    Tensor dx = Gradients.of(y, List.of(x)).get(0);
    try (Session s = new Session(g)) {
      double[] v = {0.1, -0.4, 0.9};
      double[] got = s.run(dx, Map.of(x, Nd4j.createFromArray(v))).toDoubleVector();
      for (int i = 0; i < v.length; i++) {
        double t = Math.tanh(v[i]);
        assertEquals(2 * v[i] + 2 - t * t, got[i], 1e-12);
      }
    }
  }

  @Test
  void broadcastGradientsAreReducedToTheInputShape() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT64, -1, 3);
    Tensor b = g.placeholder("b", DType.FLOAT64, 3);
    Tensor c = g.placeholder("c", DType.FLOAT64);
    Tensor y = Ops.reduceSum(x.add(b).mul(c), false);
    List<Tensor> grads = Gradients.of(y, List.of(x, b, c));
    try (Session s = new Session(g)) {
      var out =
          s.run(
              grads,
              Map.of(
                  x,
                  Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4, 3),
                  b,
                  Nd4j.createFromArray(1.0, 2.0, 3.0),
                  c,
                  Nd4j.scalar(2.0)));
      assertArrayEquals(new long[] {4, 3}, out.get(0).shape());
      assertArrayEquals(new double[] {8, 8, 8}, out.get(1).toDoubleVector(), 1e-12);
      assertEquals(4 * 3 + 4 * 6, out.get(2).getDouble(0), 1e-12);
    }
  }

  @Test
  void stopGradientBlocksAndUnconnectedTensorsAreReported() {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT64, 2);
    Tensor z = g.placeholder("z", DType.FLOAT64, 2);
    Tensor y = Ops.reduceSum(Ops.stopGradient(x).mul(z), false);
    GraphException e = assertThrows(GraphException.class, () -> Gradients.of(y, List.of(x, z)));
    assertTrue(e.getMessage().contains("does not depend on x"), e.getMessage());
    List<Tensor> none = Gradients.of(y, List.of(x, z), Gradients.Unconnected.NONE);
    assertNull(none.get(0));
    List<Tensor> zero = Gradients.of(y, List.of(x), Gradients.Unconnected.ZERO);
    try (Session s = new Session(g)) {
      assertArrayEquals(
          new double[] {0, 0},
          s.run(zero.get(0), Map.of(x, Nd4j.createFromArray(1.0, 2.0))).toDoubleVector());
      assertArrayEquals(
          new double[] {1, 2},
          s.run(
                  none.get(1),
                  Map.of(x, Nd4j.createFromArray(1.0, 2.0), z, Nd4j.createFromArray(5.0, 5.0)))
              .toDoubleVector());
    }
  }

  @Test
  void integerTensorsCannotBeDifferentiated() {
    Graph g = new Graph();
    Tensor i = g.placeholder("i", DType.INT32, 2);
    assertThrows(GraphException.class, () -> Gradients.of(i, List.of(i)));
  }

  static Stream<Arguments> secondOrderUnary() {
    return Stream.of(
        Arguments.of("tanh", (UnaryOperator<Tensor>) Ops::tanh),
        Arguments.of("sigmoid", (UnaryOperator<Tensor>) Ops::sigmoid),
        Arguments.of("exp", (UnaryOperator<Tensor>) Ops::exp),
        Arguments.of("log", (UnaryOperator<Tensor>) Ops::log),
        Arguments.of("sqrt", (UnaryOperator<Tensor>) Ops::sqrt),
        Arguments.of("neg", (UnaryOperator<Tensor>) Ops::neg),
        Arguments.of("square", (UnaryOperator<Tensor>) Ops::square),
        Arguments.of("pow 3", (UnaryOperator<Tensor>) x -> x.pow(3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secondOrderUnary")
  void gradientsOfGradientsForElementwiseOps(String name, UnaryOperator<Tensor> f) {
    GradCheck.check(
        in -> Gradients.of(Ops.reduceSum(f.apply(in.get(0)), false), List.of(in.get(0))).get(0),
        List.of(GradCheck.uniform(1, 0.5, 2, 2, 3)),
        1e-5);
  }

  static Stream<Arguments> secondOrderBinary() {
    return Stream.of(
        Arguments.of("add", (BinaryOperator<Tensor>) (a, b) -> a.add(b).mul(a)),
        Arguments.of("sub", (BinaryOperator<Tensor>) (a, b) -> a.sub(b).mul(b)),
        Arguments.of("mul", (BinaryOperator<Tensor>) Ops::mul),
        Arguments.of("div", (BinaryOperator<Tensor>) Ops::div),
        Arguments.of("pow", (BinaryOperator<Tensor>) Ops::pow));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secondOrderBinary")
  void gradientsOfGradientsForBinaryOps(String name, BinaryOperator<Tensor> f) {
    GradCheck.check(
        in -> {
          List<Tensor> d = Gradients.of(Ops.reduceSum(f.apply(in.get(0), in.get(1)), false), in);
          return Ops.add(
              Ops.reduceSum(Ops.square(d.get(0)), false),
              Ops.reduceSum(Ops.square(d.get(1)), false));
        },
        List.of(GradCheck.uniform(2, 0.5, 2, 2, 3), GradCheck.uniform(3, 0.5, 2, 3)),
        1e-5);
  }

  @Test
  void gradientsOfGradientsForMatmul() {
    GradCheck.check(
        in -> {
          Tensor y = Ops.reduceSum(Ops.tanh(Ops.matmul(in.get(0), in.get(1))), false);
          List<Tensor> d = Gradients.of(y, in);
          return Ops.add(
              Ops.reduceSum(Ops.square(d.get(0)), false),
              Ops.reduceSum(Ops.square(d.get(1)), false));
        },
        List.of(GradCheck.uniform(4, -1, 1, 2, 3), GradCheck.uniform(5, -1, 1, 3, 4)),
        1e-5);
  }
}
