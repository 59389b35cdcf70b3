package dev.scanflow.graph;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Produces a variable's initial value. */
@FunctionalInterface
public interface Initializer {
  /** Creates the initial value of the given shape and type, drawing randomness from {@code rng}. */
  INDArray create(long[] shape, DType dtype, SplittableRandom rng);

  /** Uniform in {@code [min, max)}. */
  static Initializer uniform(double min, double max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException(
          "uniform initializer needs min <= max, got " + min + ", " + max);
    }
    return (shape, dtype, rng) -> fill(shape, dtype, () -> min + (max - min) * rng.nextDouble());
  }

  static Initializer zeros() {
    return constant(0);
  }

  static Initializer constant(double value) {
    return (shape, dtype, rng) -> Nd4j.valueArrayOf(shape, value, dtype.nd4j());
  }

  /** A copy of {@code value}; the variable's shape must match it. */
  static Initializer fromArray(INDArray value) {
    INDArray copy = value.dup();
    return (shape, dtype, rng) -> {
      if (!java.util.Arrays.equals(shape, copy.shape())) {
        throw new IllegalArgumentException(
            "initial array has shape "
                + Shape.format(copy.shape())
                + " but the variable has shape "
                + Shape.format(shape));
      }
      return copy.castTo(dtype.nd4j()).dup();
    };
  }

  /** The value another variable has when this one is initialised (it must be created earlier). */
  static Initializer copyOf(Tensor source) {
    return new CopyOf(source);
  }

  /** See {@link #copyOf}; the session resolves it. */
  record CopyOf(Tensor source) implements Initializer {
    @Override
    public INDArray create(long[] shape, DType dtype, SplittableRandom rng) {
      throw new IllegalStateException("copy of " + source + " is resolved by the session");
    }
  }

  /** Glorot (Xavier) uniform: TensorFlow's default for {@code get_variable}. */
  static Initializer glorotUniform() {
    return (shape, dtype, rng) -> {
      double fanIn = shape.length == 0 ? 1 : shape.length == 1 ? shape[0] : shape[shape.length - 2];
      double fanOut = shape.length == 0 ? 1 : shape[shape.length - 1];
      double limit = Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
      return uniform(-limit, limit).create(shape, dtype, rng);
    };
  }

  private static INDArray fill(long[] shape, DType dtype, java.util.function.DoubleSupplier next) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n == 0) {
      return Nd4j.create(dtype.nd4j(), shape);
    }
    double[] values = new double[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = next.getAsDouble();
    }
    return Nd4j.createFromArray(values).reshape(shape).castTo(dtype.nd4j());
  }
}
