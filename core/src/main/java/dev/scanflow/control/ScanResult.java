package dev.scanflow.control;

import dev.scanflow.graph.Tensor;
import java.util.List;

/**
 * The outputs of a general scan: the carry after the last step, and each per-step output stacked
 * along a new first dimension.
 */
public record ScanResult(List<Tensor> finalCarry, List<Tensor> ys) {
  /** The single final carry. */
  public Tensor carry() {
    return finalCarry.get(0);
  }

  /** The single stacked output. */
  public Tensor y() {
    return ys.get(0);
  }
}
