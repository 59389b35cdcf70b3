package dev.scanflow.train;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;

/** Learning-rate schedules with TensorFlow's formulas, as tensors of the global step. */
public final class LearningRates {
  private LearningRates() {}

  /** A constant rate. */
  public static Schedule constant(double rate) {
    return step -> step.graph().scalar(rate, DType.FLOAT32);
  }

  /**
   * {@code rate * decayRate ^ (step / decaySteps)}, the exponent floored when {@code staircase}:
   * with 1e-2, 15000, 0.1 and staircase, steps 0-14999 use 1e-2 and 15000-29999 use 1e-3.
   */
  public static Schedule exponentialDecay(
      double rate, long decaySteps, double decayRate, boolean staircase) {
    if (decaySteps <= 0) {
      throw new IllegalArgumentException(
          "exponentialDecay: decaySteps must be > 0, got " + decaySteps);
    }
    return step -> {
      Tensor p = Ops.div(GlobalStep.asFloat(step), step.graph().scalar(decaySteps, DType.FLOAT32));
      if (staircase) {
        p = Ops.floor(p);
      }
      Tensor base = step.graph().scalar(decayRate, DType.FLOAT32);
      return Ops.mul(step.graph().scalar(rate, DType.FLOAT32), Ops.pow(base, p));
    };
  }

  /**
   * {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} while {@code
   * boundaries[i-1] < step <= boundaries[i]}, and the last value after the last boundary.
   */
  public static Schedule piecewiseConstant(long[] boundaries, double[] values) {
    if (values.length != boundaries.length + 1) {
      throw new IllegalArgumentException(
          "piecewiseConstant: need one more value than boundaries, got "
              + values.length
              + " and "
              + boundaries.length);
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        throw new IllegalArgumentException("piecewiseConstant: boundaries must increase");
      }
    }
    return step -> {
      Tensor s = GlobalStep.asFloat(step);
      Tensor out = step.graph().scalar(values[values.length - 1], DType.FLOAT32);
      for (int i = boundaries.length - 1; i >= 0; i--) {
        Tensor inside = Ops.lessEqual(s, step.graph().scalar(boundaries[i], DType.FLOAT32));
        out = Ops.where(inside, step.graph().scalar(values[i], DType.FLOAT32), out);
      }
      return out;
    };
  }
}
