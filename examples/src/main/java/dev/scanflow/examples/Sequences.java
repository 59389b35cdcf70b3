package dev.scanflow.examples;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seed's data: input sequences of standard-normal values with a length drawn uniformly from
 * {@code [minLength, maxLength)} (NumPy's {@code randint}: the upper bound is excluded), and their
 * cumulative sums as targets, both shaped {@code [T, 1]}.
 */
public final class Sequences {
  /** One input/target pair. */
  public record Pair(float[] inputs, float[] targets) {
    public int length() {
      return inputs.length;
    }

    public INDArray inputArray() {
      return Nd4j.createFromArray(inputs).reshape(inputs.length, 1);
    }

    public INDArray targetArray() {
      return Nd4j.createFromArray(targets).reshape(targets.length, 1);
    }

    /** The pair for given inputs: targets are their cumulative sum. */
    public static Pair of(float[] inputs) {
      float[] t = new float[inputs.length];
      float s = 0;
      for (int i = 0; i < inputs.length; i++) {
        s += inputs[i];
        t[i] = s;
      }
      return new Pair(inputs, t);
    }
  }

  private final SplittableRandom rnd;
  private final int minLength;
  private final int maxLength;

  public Sequences(long seed, int minLength, int maxLength) {
    if (minLength < 1 || maxLength <= minLength) {
      throw new IllegalArgumentException(
          "need 1 <= min length < max length, got " + minLength + " and " + maxLength);
    }
    this.rnd = new SplittableRandom(seed);
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** The next random pair. */
  public Pair next() {
    int t = minLength + rnd.nextInt(maxLength - minLength);
    float[] x = new float[t];
    for (int i = 0; i < t; i++) {
      x[i] = (float) gaussian();
    }
    return Pair.of(x);
  }

  private double gaussian() {
    // Marsaglia's polar method on SplittableRandom (which has no nextGaussian on Java 17)
    double u;
    double v;
    double s;
    do {
      u = 2 * rnd.nextDouble() - 1;
      v = 2 * rnd.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /** A sine wave of {@code length} steps with the given period, as inputs. */
  public static Pair sine(int length, double period, double amplitude) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * i / period));
    }
    return Pair.of(x);
  }

  /** Standard-normal inputs shifted by {@code mean}. */
  public Pair nextWithMean(double mean) {
    Pair p = next();
    float[] x = p.inputs().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] += (float) mean;
    }
    return Pair.of(x);
  }
}
