package dev.scanflow.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.testing.GradCheck;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One row per op: how to build it, inputs over its domain (scalar, vector, matrix, broadcast pairs,
 * zero-size), an independent reference for the forward values, and whether gradients are checked
 * against finite differences. {@link #everyOpHasARow} fails when an op class has no row.
 */
class OpTableTest {

  /** A case: a label, inputs, how to build the op, the expected output, whether to grad-check. */
  record Case(
      Class<? extends Op> op,
      String label,
      List<INDArray> inputs,
      Function<List<Tensor>, Tensor> build,
      Function<List<INDArray>, INDArray> reference,
      boolean differentiable) {
    @Override
    public String toString() {
      return op.getSimpleName() + " " + label;
    }
  }

  /** Ops tested elsewhere, with where. */
  static final Map<Class<?>, String> TESTED_ELSEWHERE =
      Map.of(
          Placeholder.class, "SessionTest (feeds)",
          Capture.class, "ScanTest (body arguments)",
          Variable.class, "SessionTest (variables)",
          Assign.class, "SessionTest (assignment)",
          Group.class, "SessionTest (assignment)");

  static final long[][] UNARY_SHAPES = {{}, {3}, {2, 3}, {0, 3}};
  static final long[][][] BINARY_SHAPES = {
    {{}, {}}, {{3}, {3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{2, 3}, {}}, {{0, 3}, {3}}
  };

  static INDArray u(long seed, double lo, double hi, long... shape) {
    return GradCheck.uniform(seed, lo, hi, shape);
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    unary(c, Neg.class, Ops::neg, x -> -x, -2, 2);
    unary(c, Exp.class, Ops::exp, Math::exp, -2, 2);
    unary(c, Log.class, Ops::log, Math::log, 0.5, 3);
    unary(c, Tanh.class, Ops::tanh, Math::tanh, -2, 2);
    unary(c, Sigmoid.class, Ops::sigmoid, x -> 1 / (1 + Math.exp(-x)), -3, 3);
    unary(c, Sqrt.class, Ops::sqrt, Math::sqrt, 0.5, 3);
    c.add(
        new Case(
            Floor.class,
            "[2,3]",
            List.of(u(60, -3, 3, 2, 3)),
            in -> Ops.floor(in.get(0)),
            in -> Reference.map(in.get(0), Math::floor),
            false));
    c.add(
        new Case(
            Floor.class,
            "[0,3]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.floor(in.get(0)),
            in -> Nd4j.create(DataType.DOUBLE, 0, 3),
            false));
    unary(c, Identity.class, Ops::identity, x -> x, -2, 2);
    unary(c, Mul.class, Ops::square, x -> x * x, -2, 2); // composed: square
    unary(
        c,
        Where.class,
        Ops::relu,
        x -> Math.max(x, 0),
        -2,
        2); // composed: relu (inputs avoid 0 w.h.p.)
    binary(c, Add.class, Ops::add, Double::sum, -2, 2, -2, 2);
    binary(c, Sub.class, Ops::sub, (a, b) -> a - b, -2, 2, -2, 2);
    binary(c, Mul.class, Ops::mul, (a, b) -> a * b, -2, 2, -2, 2);
    binary(c, Div.class, Ops::div, (a, b) -> a / b, -2, 2, 0.5, 2);
    binary(c, Pow.class, Ops::pow, Math::pow, 0.5, 2, -1.5, 1.5);
    binary(c, Where.class, Ops::maximum, Math::max, -2, 2, -2, 2);
    binary(c, Where.class, Ops::minimum, Math::min, -2, 2, -2, 2);
    for (Compare.Kind k : Compare.Kind.values()) {
      DoubleBinaryOperator ref =
          switch (k) {
            case GREATER -> (a, b) -> a > b ? 1 : 0;
            case GREATER_EQUAL -> (a, b) -> a >= b ? 1 : 0;
            case LESS -> (a, b) -> a < b ? 1 : 0;
            case LESS_EQUAL -> (a, b) -> a <= b ? 1 : 0;
            case EQUAL -> (a, b) -> a == b ? 1 : 0;
          };
      for (long[][] s : BINARY_SHAPES) {
        INDArray a = Nd4j.createFromArray(round(u(1, -2, 2, s[0]))).reshape(s[0]);
        INDArray b = Nd4j.createFromArray(round(u(2, -2, 2, s[1]))).reshape(s[1]);
        if (a.isEmpty()) {
          a = Nd4j.create(DataType.DOUBLE, s[0]);
        }
        c.add(
            new Case(
                Compare.class,
                k + " " + shapes(s),
                List.of(a, b),
                in -> Ops.binary(new Compare(k), in.get(0), in.get(1)),
                in -> Reference.broadcast(in.get(0), in.get(1), ref),
                false));
      }
    }
    // where with a boolean condition broadcast against values
    c.add(
        new Case(
            Where.class,
            "cond [2,1] x [2,3] y [3]",
            List.of(
                Nd4j.createFromArray(new boolean[][] {{true}, {false}}),
                u(3, -1, 1, 2, 3),
                u(4, -1, 1, 3)),
            in -> Ops.where(in.get(0), in.get(1), in.get(2)),
            in ->
                Reference.broadcast(
                        Reference.broadcast(in.get(1), in.get(2), (a, b) -> a),
                        in.get(0).castTo(DataType.DOUBLE),
                        (a, k) -> a)
                    .mul(
                        Reference.broadcast(
                            in.get(0).castTo(DataType.DOUBLE), in.get(1), (k, a) -> k))
                    .add(
                        Reference.broadcast(
                            Reference.broadcast(in.get(1), in.get(2), (a, b) -> b),
                            in.get(0).castTo(DataType.DOUBLE),
                            (b, k) -> b * (1 - k))),
            true));
    // matmul, all transpose flags, plus an empty inner dimension
    for (boolean tx : new boolean[] {false, true}) {
      for (boolean ty : new boolean[] {false, true}) {
        INDArray x = tx ? u(5, -1, 1, 3, 2) : u(5, -1, 1, 2, 3);
        INDArray y = ty ? u(6, -1, 1, 4, 3) : u(6, -1, 1, 3, 4);
        c.add(
            new Case(
                MatMul.class,
                "tx=" + tx + " ty=" + ty,
                List.of(x, y),
                in -> Ops.matmul(in.get(0), in.get(1), tx, ty),
                in ->
                    Reference.matmul(
                        tx ? in.get(0).transpose() : in.get(0),
                        ty ? in.get(1).transpose() : in.get(1)),
                true));
      }
    }
    c.add(
        new Case(
            MatMul.class,
            "[2,0] x [0,3]",
            List.of(Nd4j.create(DataType.DOUBLE, 2, 0), Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.matmul(in.get(0), in.get(1)),
            in -> Nd4j.zeros(DataType.DOUBLE, 2, 3),
            true));
    c.add(
        new Case(
            MatMul.class,
            "[0,3] x [3,2]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3), u(7, -1, 1, 3, 2)),
            in -> Ops.matmul(in.get(0), in.get(1)),
            in -> Nd4j.create(DataType.DOUBLE, 0, 2),
            true));
    // reductions
    for (int[] axes : new int[][] {{}, {0}, {1}, {0, 1}}) {
      for (boolean keep : new boolean[] {false, true}) {
        c.add(
            new Case(
                ReduceSum.class,
                "axes " + java.util.Arrays.toString(axes) + " keep=" + keep,
                List.of(u(8, -1, 1, 2, 3)),
                in -> Ops.reduceSum(in.get(0), keep, axes),
                in -> Reference.sum(in.get(0), axes, keep, false),
                true));
        c.add(
            new Case(
                CountOf.class,
                "mean axes " + java.util.Arrays.toString(axes) + " keep=" + keep,
                List.of(u(9, -1, 1, 2, 3)),
                in -> Ops.reduceMean(in.get(0), keep, axes),
                in -> Reference.sum(in.get(0), axes, keep, true),
                true));
      }
    }
    c.add(
        new Case(
            ReduceSum.class,
            "scalar",
            List.of(u(10, -1, 1)),
            in -> Ops.reduceSum(in.get(0), false),
            in -> in.get(0),
            true));
    c.add(
        new Case(
            ReduceSum.class,
            "zero-size [0,3] axis 0",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.reduceSum(in.get(0), false, 0),
            in -> Nd4j.zeros(DataType.DOUBLE, 3),
            true));
    c.add(
        new Case(
            ReduceSum.class,
            "vector",
            List.of(u(11, -1, 1, 4)),
            in -> Ops.reduceSum(in.get(0), false),
            in -> Nd4j.scalar(in.get(0).sumNumber().doubleValue()),
            true));
    // shapes
    c.add(
        new Case(
            Reshape.class,
            "[2,3] -> [3,-1]",
            List.of(u(12, -1, 1, 2, 3)),
            in -> Ops.reshape(in.get(0), 3, -1),
            in -> Reference.rowMajor(in.get(0), 3, 2),
            true));
    c.add(
        new Case(
            Reshape.class,
            "scalar -> [1,1]",
            List.of(u(13, -1, 1)),
            in -> Ops.reshape(in.get(0), 1, 1),
            in -> Reference.rowMajor(in.get(0), 1, 1),
            true));
    c.add(
        new Case(
            Reshape.class,
            "[0,3] -> [3,0]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.reshape(in.get(0), 3, 0),
            in -> Nd4j.create(DataType.DOUBLE, 3, 0),
            true));
    c.add(
        new Case(
            ReshapeLike.class,
            "[6] like [2,3]",
            List.of(u(14, -1, 1, 6), u(15, -1, 1, 2, 3)),
            in -> Ops.reshapeLike(in.get(0), in.get(1)),
            in -> Reference.rowMajor(in.get(0), 2, 3),
            true));
    c.add(
        new Case(
            ExpandDims.class,
            "[3] axis 0",
            List.of(u(16, -1, 1, 3)),
            in -> Ops.expandDims(in.get(0), 0),
            in -> Reference.rowMajor(in.get(0), 1, 3),
            true));
    c.add(
        new Case(
            ExpandDims.class,
            "[2,3] axis -1",
            List.of(u(17, -1, 1, 2, 3)),
            in -> Ops.expandDims(in.get(0), -1),
            in -> Reference.rowMajor(in.get(0), 2, 3, 1),
            true));
    c.add(
        new Case(
            Squeeze.class,
            "[2,1,3] axis 1",
            List.of(u(18, -1, 1, 2, 1, 3)),
            in -> Ops.squeeze(in.get(0), 1),
            in -> Reference.rowMajor(in.get(0), 2, 3),
            true));
    c.add(
        new Case(
            Transpose.class,
            "[2,3]",
            List.of(u(19, -1, 1, 2, 3)),
            in -> Ops.transpose(in.get(0)),
            in -> in.get(0).transpose().dup('c'),
            true));
    c.add(
        new Case(
            Transpose.class,
            "[2,3,4] perm 1,2,0",
            List.of(u(20, -1, 1, 2, 3, 4)),
            in -> Ops.transpose(in.get(0), 1, 2, 0),
            in -> Reference.permute(in.get(0), 1, 2, 0),
            true));
    c.add(
        new Case(
            Transpose.class,
            "[0,3]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.transpose(in.get(0)),
            in -> Nd4j.create(DataType.DOUBLE, 3, 0),
            true));
    c.add(
        new Case(
            Concat.class,
            "axis 0 [2,3]+[1,3]",
            List.of(u(21, -1, 1, 2, 3), u(22, -1, 1, 1, 3)),
            in -> Ops.concat(0, in.get(0), in.get(1)),
            in -> Reference.concatRows(in.get(0), in.get(1)),
            true));
    c.add(
        new Case(
            Concat.class,
            "axis 1 [2,1]+[2,3]",
            List.of(u(23, -1, 1, 2, 1), u(24, -1, 1, 2, 3)),
            in -> Ops.concat(1, in.get(0), in.get(1)),
            in ->
                Reference.concatRows(in.get(0).transpose(), in.get(1).transpose())
                    .transpose()
                    .dup('c'),
            true));
    c.add(
        new Case(
            Concat.class,
            "axis 0 [0,3]+[2,3]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3), u(25, -1, 1, 2, 3)),
            in -> Ops.concat(0, in.get(0), in.get(1)),
            in -> in.get(1),
            true));
    c.add(
        new Case(
            ConcatPart.class,
            "part 1 of [2,3]+[1,3]",
            List.of(u(26, -1, 1, 3, 3), u(27, -1, 1, 2, 3), u(28, -1, 1, 1, 3)),
            in -> Ops.concatPart(in.get(0), 0, 1, List.of(in.get(1), in.get(2))),
            in -> Reference.rows(in.get(0), 2, 3),
            true));
    c.add(
        new Case(
            Concat.class,
            "stack of 3 vectors (composed)",
            List.of(u(29, -1, 1, 3), u(30, -1, 1, 3), u(31, -1, 1, 3)),
            in -> Ops.stack(0, in),
            in ->
                Reference.concatRows(
                    Reference.rowMajor(in.get(0), 1, 3),
                    Reference.concatRows(
                        Reference.rowMajor(in.get(1), 1, 3), Reference.rowMajor(in.get(2), 1, 3))),
            true));
    c.add(
        new Case(
            Slice.class,
            "unstack row 1 of [3,2] (composed)",
            List.of(u(32, -1, 1, 3, 2)),
            in -> Ops.unstack(in.get(0), 0).get(1),
            in -> Reference.rowMajor(Reference.rows(in.get(0), 1, 2), 2),
            true));
    c.add(
        new Case(
            Slice.class,
            "[4,3] rows 1..3 cols 1..",
            List.of(u(33, -1, 1, 4, 3)),
            in -> Ops.slice(in.get(0), new long[] {1, 1}, new long[] {2, -1}),
            in ->
                Reference.rows(in.get(0), 1, 3)
                    .get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3))
                    .dup('c'),
            true));
    c.add(
        new Case(
            Slice.class,
            "empty slice",
            List.of(u(34, -1, 1, 4, 3)),
            in -> Ops.slice(in.get(0), new long[] {2, 0}, new long[] {0, 3}),
            in -> Nd4j.create(DataType.DOUBLE, 0, 3),
            true));
    c.add(
        new Case(
            PadLike.class,
            "[1,2] into [3,3] at 1,1",
            List.of(u(35, -1, 1, 1, 2), u(36, -1, 1, 3, 3)),
            in -> Ops.padLike(in.get(0), in.get(1), new long[] {1, 1}),
            in -> Reference.pad(in.get(0), 3, 3, 1, 1),
            true));
    c.add(
        new Case(
            Gather.class,
            "rows 2,0,2 of [3,2]",
            List.of(u(37, -1, 1, 3, 2), Nd4j.createFromArray(2, 0, 2)),
            in -> Ops.gather(in.get(0), in.get(1)),
            in ->
                Reference.concatRows(
                    Reference.rows(in.get(0), 2, 3),
                    Reference.concatRows(
                        Reference.rows(in.get(0), 0, 1), Reference.rows(in.get(0), 2, 3))),
            true));
    c.add(
        new Case(
            Gather.class,
            "no rows",
            List.of(u(38, -1, 1, 3, 2), Nd4j.create(DataType.INT, 0)),
            in -> Ops.gather(in.get(0), in.get(1)),
            in -> Nd4j.create(DataType.DOUBLE, 0, 2),
            true));
    c.add(
        new Case(
            ScatterAddLike.class,
            "rows 1,1 into [3,2]",
            List.of(u(39, -1, 1, 2, 2), Nd4j.createFromArray(1, 1), u(40, -1, 1, 3, 2)),
            in -> Ops.scatterAddLike(in.get(0), in.get(1), in.get(2)),
            in ->
                Reference.pad(
                    Reference.rows(in.get(0), 0, 1).add(Reference.rows(in.get(0), 1, 2)),
                    3,
                    2,
                    1,
                    0),
            true));
    c.add(
        new Case(
            Reverse.class,
            "[3,2]",
            List.of(u(41, -1, 1, 3, 2)),
            in -> Ops.reverse(in.get(0)),
            in ->
                Reference.concatRows(
                    Reference.rows(in.get(0), 2, 3),
                    Reference.concatRows(
                        Reference.rows(in.get(0), 1, 2), Reference.rows(in.get(0), 0, 1))),
            true));
    c.add(
        new Case(
            Reverse.class,
            "[0,2]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 2)),
            in -> Ops.reverse(in.get(0)),
            in -> Nd4j.create(DataType.DOUBLE, 0, 2),
            true));
    c.add(
        new Case(
            BroadcastLike.class,
            "[3] like [2,3]",
            List.of(u(42, -1, 1, 3), u(43, -1, 1, 2, 3)),
            in -> Ops.broadcastLike(in.get(0), in.get(1), new int[0]),
            in -> Reference.broadcast(in.get(0), in.get(1), (a, b) -> a),
            true));
    c.add(
        new Case(
            BroadcastLike.class,
            "[2] like [2,3] restoring axis 1",
            List.of(u(44, -1, 1, 2), u(45, -1, 1, 2, 3)),
            in -> Ops.broadcastLike(in.get(0), in.get(1), new int[] {1}),
            in -> Reference.broadcast(Reference.rowMajor(in.get(0), 2, 1), in.get(1), (a, b) -> a),
            true));
    c.add(
        new Case(
            SumToShapeOf.class,
            "[2,3] to [3]",
            List.of(u(46, -1, 1, 2, 3), u(47, -1, 1, 3)),
            in -> Ops.sumToShapeOf(in.get(0), in.get(1)),
            in -> Reference.sum(in.get(0), new int[] {0}, false, false),
            true));
    c.add(
        new Case(
            SumToShapeOf.class,
            "[2,3] to [2,1]",
            List.of(u(48, -1, 1, 2, 3), u(49, -1, 1, 2, 1)),
            in -> Ops.sumToShapeOf(in.get(0), in.get(1)),
            in -> Reference.sum(in.get(0), new int[] {1}, true, false),
            true));
    c.add(
        new Case(
            FillLike.class,
            "zerosLike [2,3]",
            List.of(u(50, -1, 1, 2, 3)),
            in -> Ops.add(Ops.zerosLike(in.get(0)), in.get(0)),
            in -> in.get(0),
            true));
    c.add(
        new Case(
            FillLike.class,
            "onesLike [0,3]",
            List.of(Nd4j.create(DataType.DOUBLE, 0, 3)),
            in -> Ops.onesLike(in.get(0)),
            in -> Nd4j.create(DataType.DOUBLE, 0, 3),
            false));
    c.add(
        new Case(
            Cast.class,
            "float64 -> float32 -> float64 (forward)",
            List.of(u(51, -1, 1, 2, 3)),
            in -> Ops.cast(Ops.cast(in.get(0), DType.FLOAT32), DType.FLOAT64),
            in -> in.get(0).castTo(DataType.FLOAT).castTo(DataType.DOUBLE),
            false));
    c.add(
        new Case(
            Cast.class,
            "int32 -> float64 times x",
            List.of(Nd4j.createFromArray(1, -2, 3), u(54, -1, 1, 3)),
            in -> Ops.mul(Ops.cast(in.get(0), DType.FLOAT64), in.get(1)),
            in -> in.get(0).castTo(DataType.DOUBLE).mul(in.get(1)),
            true));
    c.add(
        new Case(
            StopGradient.class,
            "x * stop(x)",
            List.of(u(52, -1, 1, 3)),
            in -> Ops.mul(in.get(0), Ops.stopGradient(in.get(0))),
            in -> in.get(0).mul(in.get(0)),
            false));
    c.add(
        new Case(
            Constant.class,
            "x + constant",
            List.of(u(53, -1, 1, 3)),
            in ->
                Ops.add(in.get(0), in.get(0).graph().constant(Nd4j.createFromArray(1.0, 2.0, 3.0))),
            in -> in.get(0).add(Nd4j.createFromArray(1.0, 2.0, 3.0)),
            true));
    return c;
  }

  private static double[] round(INDArray a) {
    double[] v = Reference.values(a);
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(v[i]);
    }
    return v;
  }

  private static String shapes(long[][] s) {
    return Stream.of(s).map(java.util.Arrays::toString).collect(Collectors.joining(" x "));
  }

  private static void unary(
      List<Case> c,
      Class<? extends Op> op,
      Function<Tensor, Tensor> f,
      DoubleUnaryOperator ref,
      double lo,
      double hi) {
    int seed = 100;
    for (long[] s : UNARY_SHAPES) {
      c.add(
          new Case(
              op,
              java.util.Arrays.toString(s),
              List.of(u(seed++, lo, hi, s)),
              in -> f.apply(in.get(0)),
              in -> Reference.map(in.get(0), ref),
              true));
    }
  }

  private static void binary(
      List<Case> c,
      Class<? extends Op> op,
      java.util.function.BinaryOperator<Tensor> f,
      DoubleBinaryOperator ref,
      double lo1,
      double hi1,
      double lo2,
      double hi2) {
    int seed = 200;
    for (long[][] s : BINARY_SHAPES) {
      c.add(
          new Case(
              op,
              shapes(s),
              List.of(u(seed++, lo1, hi1, s[0]), u(seed++, lo2, hi2, s[1])),
              in -> f.apply(in.get(0), in.get(1)),
              in -> Reference.broadcast(in.get(0), in.get(1), ref),
              true));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesReferenceAndGradientsMatchFiniteDifferences(Case c) {
    Graph g = new Graph();
    List<Tensor> ph = new ArrayList<>();
    Map<Tensor, INDArray> feeds = new HashMap<>();
    for (int i = 0; i < c.inputs.size(); i++) {
      INDArray x = c.inputs.get(i);
      Tensor p = g.placeholder("in" + i, DType.of(x.dataType()), x.shape());
      ph.add(p);
      feeds.put(p, x);
    }
    Tensor y = c.build.apply(ph);
    INDArray expected = c.reference.apply(c.inputs);
    try (Session s = new Session(g)) {
      INDArray actual = s.run(y, feeds);
      assertArrayEquals(expected.shape(), actual.shape(), "shape");
      if (expected.length() > 0) {
        INDArray a = actual.castTo(DataType.DOUBLE);
        INDArray e = expected.castTo(DataType.DOUBLE);
        double diff = a.sub(e).amaxNumber().doubleValue();
        assertTrue(
            diff <= 1e-6 * Math.max(1, e.amaxNumber().doubleValue()),
            "forward differs by " + diff + ": " + a + " vs " + e);
      }
    }
    if (c.differentiable) {
      GradCheck.check(c.build, c.inputs, 1e-5);
    } else if (y.dtype().isFloating()) {
      Graph g2 = new Graph();
      List<Tensor> ph2 = new ArrayList<>();
      for (int i = 0; i < c.inputs.size(); i++) {
        ph2.add(
            g2.placeholder(
                "in" + i, DType.of(c.inputs.get(i).dataType()), c.inputs.get(i).shape()));
      }
      Tensor y2 = c.build.apply(ph2);
      List<Tensor> grads = Gradients.of(y2, ph2, Gradients.Unconnected.NONE);
      if (c.op == Cast.class) {
        assertTrue(
            grads.get(0) != null && grads.get(0).dtype() == DType.FLOAT64,
            "cast passes the gradient back in the input's type");
      } else if (c.op == StopGradient.class) {
        assertTrue(grads.get(0) != null, "x * stop(x) still depends on x directly");
      } else {
        assertTrue(grads.stream().allMatch(java.util.Objects::isNull), "no gradient expected");
      }
    }
  }

  @Test
  void everyOpHasARow() throws IOException, URISyntaxException {
    Set<String> covered =
        cases().stream()
            .map(c -> c.op.getSimpleName())
            .collect(Collectors.toCollection(TreeSet::new));
    TESTED_ELSEWHERE.keySet().forEach(k -> covered.add(k.getSimpleName()));
    Path dir =
        Paths.get(Op.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("dev/scanflow/ops");
    Set<String> missing = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.collect(Collectors.toList())) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("$")) {
          continue;
        }
        String simple = name.substring(0, name.length() - 6);
        try {
          Class<?> k = Class.forName("dev.scanflow.ops." + simple);
          if (Op.class.isAssignableFrom(k)
              && !k.isInterface()
              && !java.lang.reflect.Modifier.isAbstract(k.getModifiers())
              && !covered.contains(simple)) {
            missing.add(simple);
          }
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    assertEquals(Set.of(), missing, "ops without a row in the op table");
    assertTrue(covered.size() > 30);
  }
}
