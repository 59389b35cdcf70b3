package dev.scanflow.train;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;

/** The graph's global step: a non-trainable int64 scalar variable named {@code global_step}. */
public final class GlobalStep {
  /** The variable's name. */
  public static final String NAME = "global_step";

  private GlobalStep() {}

  /** The global step of {@code g}, created (starting at 0) on first use. */
  public static Tensor of(Graph g) {
    Tensor existing = g.variableNamed(NAME);
    if (existing != null) {
      return existing;
    }
    return g.newVariable(NAME, Shape.scalar(), DType.INT64, Initializer.zeros(), false);
  }

  /** The step as a float32 scalar, for schedules. */
  public static Tensor asFloat(Tensor step) {
    return step.dtype() == DType.FLOAT32 ? step : step.cast(DType.FLOAT32);
  }
}
