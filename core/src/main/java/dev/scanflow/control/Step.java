package dev.scanflow.control;

import dev.scanflow.graph.Tensor;
import java.util.List;

/** What one step of a general scan returns: the next carry and this step's outputs. */
public record Step(List<Tensor> carry, List<Tensor> ys) {
  public Step {
    carry = List.copyOf(carry);
    ys = List.copyOf(ys);
  }

  /** A step with one carry tensor and one output tensor. */
  public static Step of(Tensor carry, Tensor y) {
    return new Step(List.of(carry), List.of(y));
  }
}
