package dev.scanflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainTest {
  static double[] clip(double c, double[] a, double[] b) {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(a));
    Tensor y = g.constant(Nd4j.createFromArray(b));
    Clipping.Clipped r = Clipping.clipByGlobalNorm(Arrays.asList(x, null, y), c);
    assertEquals(null, r.tensors().get(1));
    try (Session s = new Session(g)) {
      List<INDArray> out =
          s.run(List.of(r.tensors().get(0), r.tensors().get(2), r.globalNorm()), Map.of());
      double[] v = new double[a.length + b.length + 1];
      System.arraycopy(out.get(0).toDoubleVector(), 0, v, 0, a.length);
      System.arraycopy(out.get(1).toDoubleVector(), 0, v, a.length, b.length);
      v[v.length - 1] = out.get(2).getDouble(0);
      return v;
    }
  }

  @Test
  void clipByGlobalNormBelowAtAndAboveTheThreshold() {
    // norm of (3, 4, 12) = 13
    assertArrayEquals(
        new double[] {3, 4, 12, 13}, clip(20, new double[] {3, 4}, new double[] {12}), 1e-12);
    assertArrayEquals(
        new double[] {3, 4, 12, 13}, clip(13, new double[] {3, 4}, new double[] {12}), 1e-12);
    assertArrayEquals(
        new double[] {3 / 13.0, 4 / 13.0, 12 / 13.0, 13},
        clip(1, new double[] {3, 4}, new double[] {12}),
        1e-12);
  }

  @Test
  void nonFiniteGlobalNormMakesEverythingNaN() {
    double[] inf = clip(1, new double[] {Double.POSITIVE_INFINITY, 1}, new double[] {2});
    double[] nan = clip(1, new double[] {Double.NaN, 1}, new double[] {2});
    for (int i = 0; i < 3; i++) {
      assertTrue(Double.isNaN(inf[i]), "inf norm -> NaN at " + i);
      assertTrue(Double.isNaN(nan[i]), "NaN norm -> NaN at " + i);
    }
    assertTrue(Double.isInfinite(inf[3]));
  }

  @Test
  void clipByValueAndByNorm() {
    Graph g = new Graph();
    Tensor x = g.constant(Nd4j.createFromArray(-2.0, 0.5, 3.0));
    Tensor v = Clipping.clipByValue(x, -1, 1);
    Tensor n = Clipping.clipByNorm(g.constant(Nd4j.createFromArray(3.0, 4.0)), 1);
    Tensor keep = Clipping.clipByNorm(g.constant(Nd4j.createFromArray(3.0, 4.0)), 10);
    try (Session s = new Session(g)) {
      assertArrayEquals(new double[] {-1, 0.5, 1}, s.run(v).toDoubleVector(), 1e-12);
      assertArrayEquals(new double[] {0.6, 0.8}, s.run(n).toDoubleVector(), 1e-12);
      assertArrayEquals(new double[] {3, 4}, s.run(keep).toDoubleVector(), 1e-12);
    }
    assertThrows(IllegalArgumentException.class, () -> Clipping.clipByGlobalNorm(List.of(x), 0));
  }

  static double rateAt(Schedule schedule, long step) {
    Graph g = new Graph();
    Tensor gs = GlobalStep.of(g);
    Tensor lr = schedule.at(gs);
    try (Session s = new Session(g)) {
      s.initializeVariables();
      s.setValue(gs, Nd4j.scalar(step));
      return s.run(lr).getDouble(0);
    }
  }

  @Test
  void staircaseDecayAtTheBoundaries() {
    Schedule seed = LearningRates.exponentialDecay(1e-2, 15000, 0.1, true);
    assertEquals(1e-2, rateAt(seed, 0), 1e-9);
    assertEquals(1e-2, rateAt(seed, 14999), 1e-9);
    assertEquals(1e-3, rateAt(seed, 15000), 1e-10);
    assertEquals(1e-3, rateAt(seed, 15001), 1e-10);
    assertEquals(1e-4, rateAt(seed, 30000), 1e-11);
    Schedule smooth = LearningRates.exponentialDecay(1e-2, 15000, 0.1, false);
    assertEquals(1e-2 * Math.pow(0.1, 7500 / 15000.0), rateAt(smooth, 7500), 1e-8);
    Schedule custom =
        step -> Ops.div(step.graph().scalar(1, DType.FLOAT32), GlobalStep.asFloat(step).add(1));
    assertEquals(0.25, rateAt(custom, 3), 1e-7);
  }

  @Test
  void piecewiseConstant() {
    Schedule p = LearningRates.piecewiseConstant(new long[] {10, 20}, new double[] {1, 0.5, 0.1});
    assertEquals(1, rateAt(p, 10), 1e-7);
    assertEquals(0.5, rateAt(p, 11), 1e-7);
    assertEquals(0.5, rateAt(p, 20), 1e-7);
    assertEquals(0.1, rateAt(p, 21), 1e-7);
    assertThrows(
        IllegalArgumentException.class,
        () -> LearningRates.piecewiseConstant(new long[] {1}, new double[] {1}));
  }

  @Test
  void movingAverageOfATensorStartsAtZeroAndIsReadBeforeUpdate() {
    Graph g = new Graph();
    Tensor x = g.placeholder("loss", DType.FLOAT32);
    ExponentialMovingAverage ema = new ExponentialMovingAverage(0.99);
    Tensor update = ema.apply(List.of(x));
    Tensor avg = ema.average(x);
    try (Session s = new Session(g)) {
      s.initializeVariables();
      double expected = 0;
      double[] losses = {2.0, 1.0, 4.0};
      for (double l : losses) {
        List<INDArray> out = s.run(List.of(avg, update), Map.of(x, Nd4j.scalar((float) l)));
        assertEquals(
            expected,
            out.get(0).getDouble(0),
            1e-6,
            "printed value is the one before this step's update");
        expected = 0.99 * expected + 0.01 * l;
      }
      assertEquals(expected, s.run(avg).getDouble(0), 1e-6);
    }
  }

  @Test
  void movingAverageWithNumUpdatesAndOfVariables() {
    Graph g = new Graph();
    Tensor w = g.variable("w", Nd4j.createFromArray(10f));
    Tensor n = g.placeholder("n", DType.INT64);
    ExponentialMovingAverage ema = new ExponentialMovingAverage(0.99, n);
    Tensor update = ema.apply(List.of(w));
    try (Session s = new Session(g)) {
      s.initializeVariables();
      assertEquals(
          10f, s.valueOf(ema.average(w)).getFloat(0), "shadow of a variable starts at its value");
      s.setValue(w, Nd4j.createFromArray(0f));
      s.run(List.of(update), Map.of(n, Nd4j.scalar(0L)));
      // d = min(0.99, 1/10) = 0.1: shadow = 10 - 0.9 * (10 - 0) = 1
      assertEquals(1f, s.valueOf(ema.average(w)).getFloat(0), 1e-6);
      s.run(List.of(update), Map.of(n, Nd4j.scalar(1000L)));
      // d = min(0.99, 1001/1010) = 0.99: shadow = 1 - 0.01 * 1 = 0.99
      assertEquals(0.99f, s.valueOf(ema.average(w)).getFloat(0), 1e-6);
    }
  }

  /** Runs two steps of {@code opt} on f(w) = sum(w * c) (gradient c); returns w after each step. */
  static List<double[]> twoSteps(
      java.util.function.Function<Tensor, Optimizer> make, double[] w0, double[] c) {
    Graph g = new Graph();
    Tensor w = g.variable("w", Nd4j.createFromArray(w0));
    Tensor loss = Ops.reduceSum(w.mul(g.constant(Nd4j.createFromArray(c))), false);
    Optimizer opt = make.apply(g.scalar(0.1, DType.FLOAT64));
    Tensor train = opt.minimize(loss);
    List<double[]> out = new ArrayList<>();
    try (Session s = new Session(g)) {
      s.initializeVariables();
      for (int i = 0; i < 2; i++) {
        s.run(train);
        out.add(s.valueOf(w).toDoubleVector());
      }
      assertEquals(
          2L, s.valueOf(GlobalStep.of(g)).getLong(0), "global step increments once per update");
    }
    return out;
  }

  @Test
  void gradientDescentMomentumAndNesterov() {
    double[] w0 = {1.0, -1.0};
    double[] c = {2.0, 0.5};
    List<double[]> gd = twoSteps(GradientDescent::new, w0, c);
    assertArrayEquals(new double[] {0.8, -1.05}, gd.get(0), 1e-12);
    assertArrayEquals(new double[] {0.6, -1.1}, gd.get(1), 1e-12);
    List<double[]> mom = twoSteps(lr -> new Momentum(lr, 0.9, false), w0, c);
    // a1 = g, w1 = w0 - 0.1 g; a2 = 0.9 g + g = 1.9 g, w2 = w1 - 0.19 g
    assertArrayEquals(new double[] {1 - 0.2, -1 - 0.05}, mom.get(0), 1e-12);
    assertArrayEquals(new double[] {1 - 0.2 - 0.38, -1 - 0.05 - 0.095}, mom.get(1), 1e-12);
    List<double[]> nes = twoSteps(lr -> new Momentum(lr, 0.9, true), w0, c);
    // step 1: a = g, w -= 0.1 (g + 0.9 g) = 0.19 g; step 2: a = 1.9 g, w -= 0.1 (g + 1.71 g) =
    // 0.271 g
    assertArrayEquals(new double[] {1 - 0.38, -1 - 0.095}, nes.get(0), 1e-12);
    assertArrayEquals(new double[] {1 - 0.38 - 0.542, -1 - 0.095 - 0.1355}, nes.get(1), 1e-12);
  }

  @Test
  void adamAndRmsProp() {
    double[] w0 = {1.0, -1.0};
    double[] c = {2.0, 0.5};
    List<double[]> adam = twoSteps(Adam::new, w0, c);
    double[] w = w0.clone();
    double m0 = 0;
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 2; t++) {
      double lrT = 0.1 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
      for (int i = 0; i < 2; i++) {
        m[i] = 0.9 * m[i] + 0.1 * c[i];
        v[i] = 0.999 * v[i] + 0.001 * c[i] * c[i];
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + 1e-8);
      }
      assertArrayEquals(w, adam.get(t - 1), 1e-6, "Adam step " + t);
    }
    assertEquals(0, m0);
    List<double[]> rms = twoSteps(RMSProp::new, w0, c);
    double[] wr = w0.clone();
    double[] ms = {1, 1};
    for (int t = 1; t <= 2; t++) {
      for (int i = 0; i < 2; i++) {
        ms[i] = 0.9 * ms[i] + 0.1 * c[i] * c[i];
        wr[i] -= 0.1 * c[i] / Math.sqrt(ms[i] + 1e-10);
      }
      assertArrayEquals(wr, rms.get(t - 1), 1e-6, "RMSProp step " + t);
    }
  }

  @Test
  void slotsAreNonTrainableVariables() {
    Graph g = new Graph();
    Tensor w = g.variable("w", Nd4j.createFromArray(1f, 2f));
    new Adam(g.scalar(0.1, DType.FLOAT32)).minimize(Ops.reduceSum(Ops.square(w), false));
    List<String> names = g.variables().stream().map(Tensor::name).toList();
    assertTrue(
        names.containsAll(
            List.of("w/Adam/m", "w/Adam/v", "Adam/beta1_power", "Adam/beta2_power", "global_step")),
        names.toString());
    assertEquals(List.of(w), g.trainableVariables());
  }
}
