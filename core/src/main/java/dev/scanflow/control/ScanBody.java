package dev.scanflow.control;

import dev.scanflow.graph.Tensor;
import java.util.List;

/** A general scan step function: {@code (carry, x) -> (carry, ys)} over tuples of tensors. */
@FunctionalInterface
public interface ScanBody {
  Step apply(List<Tensor> carry, List<Tensor> x);
}
