package dev.scanflow.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.scanflow.autodiff.Gradients;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks symbolic gradients against central finite differences in double precision. A non-scalar
 * output is reduced as {@code sum(y * w)} with fixed random weights {@code w}, so every element's
 * gradient is exercised. Inputs with more than {@link #MAX_ELEMENTWISE} elements are checked along
 * random directions instead of element by element.
 */
public final class GradCheck {
  public static final int MAX_ELEMENTWISE = 64;
  private static final double EPS = 1e-6;

  private GradCheck() {}

  /** The analytic gradients of {@code f} at {@code inputs} (double arrays), one per input. */
  public static List<INDArray> analytic(Function<List<Tensor>, Tensor> f, List<INDArray> inputs) {
    Graph g = new Graph();
    List<Tensor> ph = placeholders(g, inputs);
    Tensor y = f.apply(ph);
    Tensor scalar = weighted(g, y);
    List<Tensor> grads = Gradients.of(scalar, ph, Gradients.Unconnected.ZERO);
    try (Session s = new Session(g)) {
      s.initializeVariables();
      return s.run(grads, feeds(ph, inputs));
    }
  }

  /**
   * Asserts that analytic and numeric gradients agree: {@code |a - n| <= tol * max(1, |n|)}.
   * Returns the analytic gradients.
   */
  public static List<INDArray> check(
      Function<List<Tensor>, Tensor> f, List<INDArray> inputs, double tol) {
    Graph g = new Graph();
    List<Tensor> ph = placeholders(g, inputs);
    Tensor y = f.apply(ph);
    Tensor scalar = weighted(g, y);
    List<Tensor> grads = Gradients.of(scalar, ph, Gradients.Unconnected.ZERO);
    try (Session s = new Session(g)) {
      s.initializeVariables();
      List<INDArray> analytic = s.run(grads, feeds(ph, inputs));
      Random rnd = new Random(7);
      for (int i = 0; i < inputs.size(); i++) {
        INDArray x = inputs.get(i);
        INDArray a = analytic.get(i);
        assertNotNull(a, "no gradient for input " + i);
        if (!x.dataType().isFPType()) {
          continue;
        }
        assertArrayEquals(x.shape(), a.shape(), "gradient shape of input " + i);
        if (x.length() == 0 || !x.dataType().isFPType()) {
          continue;
        }
        if (x.length() <= MAX_ELEMENTWISE) {
          for (long e = 0; e < x.length(); e++) {
            INDArray dir = Nd4j.zeros(DataType.DOUBLE, x.shape());
            dir.putScalar(e, 1.0);
            compare(
                s, scalar, ph, inputs, i, dir, a.getDouble(e), tol, "input " + i + " element " + e);
          }
        } else {
          for (int r = 0; r < 3; r++) {
            INDArray dir = Nd4j.rand(DataType.DOUBLE, x.shape()).subi(0.5);
            double expected = a.mul(dir).sumNumber().doubleValue();
            compare(s, scalar, ph, inputs, i, dir, expected, tol, "input " + i + " direction " + r);
          }
        }
      }
      return analytic;
    }
  }

  private static void compare(
      Session s,
      Tensor scalar,
      List<Tensor> ph,
      List<INDArray> inputs,
      int i,
      INDArray dir,
      double analytic,
      double tol,
      String what) {
    List<INDArray> plus = new ArrayList<>(inputs);
    plus.set(i, inputs.get(i).add(dir.mul(EPS)));
    List<INDArray> minus = new ArrayList<>(inputs);
    minus.set(i, inputs.get(i).sub(dir.mul(EPS)));
    double fp = s.run(scalar, feeds(ph, plus)).getDouble(0);
    double fm = s.run(scalar, feeds(ph, minus)).getDouble(0);
    double numeric = (fp - fm) / (2 * EPS);
    assertEquals(numeric, analytic, tol * Math.max(1, Math.abs(numeric)), "gradient of " + what);
  }

  static List<Tensor> placeholders(Graph g, List<INDArray> inputs) {
    List<Tensor> ph = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      INDArray x = inputs.get(i);
      ph.add(g.placeholder("in" + i, DType.of(x.dataType()), x.shape()));
    }
    return ph;
  }

  static Map<Tensor, INDArray> feeds(List<Tensor> ph, List<INDArray> values) {
    Map<Tensor, INDArray> m = new HashMap<>();
    for (int i = 0; i < ph.size(); i++) {
      m.put(ph.get(i), values.get(i));
    }
    return m;
  }

  /** {@code sum(y * w)} for fixed pseudo-random weights w (y itself when scalar). */
  static Tensor weighted(Graph g, Tensor y) {
    if (y.rank() == 0) {
      return y;
    }
    if (!y.shape().isFullyKnown()) {
      return Ops.reduceSum(y, false);
    }
    long n = Math.max(1, y.shape().size());
    double[] w = new double[(int) n];
    Random r = new Random(11);
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.5 + r.nextDouble();
    }
    INDArray wa =
        y.shape().size() == 0
            ? Nd4j.create(DataType.DOUBLE, y.shape().dims())
            : Nd4j.createFromArray(w).reshape(y.shape().dims());
    return Ops.reduceSum(Ops.mul(y, g.constant(wa.castTo(y.dtype().nd4j()))), false);
  }

  /** A double array of the given shape with values uniform in [lo, hi), from a fixed seed. */
  public static INDArray uniform(long seed, double lo, double hi, long... shape) {
    Random r = new Random(seed);
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n == 0) {
      return Nd4j.create(DataType.DOUBLE, shape);
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = lo + (hi - lo) * r.nextDouble();
    }
    return Nd4j.createFromArray(v).reshape(shape);
  }
}
