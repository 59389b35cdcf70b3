package dev.scanflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Deterministic inputs and initial weights shared by every system in a benchmark. */
final class Inputs {
  private Inputs() {}

  static INDArray uniform(SplittableRandom r, double scale, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (scale * (2 * r.nextDouble() - 1));
    }
    return Nd4j.createFromArray(v).reshape(shape);
  }

  /** W_h [H,H], W_x [1,H], b [H], W_pred [H,1], b_pred [1]: uniform in +-0.1, biases 0. */
  static List<INDArray> seedWeights(int hidden, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<INDArray> w = new ArrayList<>();
    w.add(uniform(r, 0.1, hidden, hidden));
    w.add(uniform(r, 0.1, 1, hidden));
    w.add(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, hidden));
    w.add(uniform(r, 0.1, hidden, 1));
    w.add(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1));
    return w;
  }

  /** Standard-ish inputs [T, B, 1] and their cumulative sums over T. */
  static INDArray[] sequence(int t, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[t * batch];
    float[] y = new float[t * batch];
    for (int bi = 0; bi < batch; bi++) {
      float s = 0;
      for (int i = 0; i < t; i++) {
        float v = (float) (2 * r.nextDouble() - 1) * 1.7f;
        s += v;
        x[i * batch + bi] = v;
        y[i * batch + bi] = s;
      }
    }
    return new INDArray[] {
      Nd4j.createFromArray(x).reshape(t, batch, 1), Nd4j.createFromArray(y).reshape(t, batch, 1)
    };
  }
}
