package dev.scanflow.ops;

import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A floating-point op applied to each element of one input; output shaped like the input. */
interface Elementwise extends Op {
  /** The kernel on a non-empty array; returns a new array. */
  INDArray apply(INDArray x);

  @Override
  default List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Kernels.requireFloating(name(), in.get(0));
    return List.of(in.get(0));
  }

  @Override
  default INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    return new INDArray[] {x.isEmpty() ? Kernels.empty(x, x.shape()) : apply(x)};
  }
}
