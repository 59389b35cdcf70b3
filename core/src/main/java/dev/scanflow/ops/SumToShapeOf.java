package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code z = g summed over the dimensions along which ref was broadcast}: reduces a broadcast
 * gradient back to the shape of the input it belongs to.
 */
public record SumToShapeOf() implements Op {
  @Override
  public String name() {
    return "sum_to_shape_of";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    if (in.get(1).shape().rank() > in.get(0).shape().rank()) {
      throw new IllegalArgumentException(
          "sum_to_shape_of: target "
              + in.get(1).shape()
              + " has higher rank than "
              + in.get(0).shape());
    }
    return Kernels.one(in.get(1).shape(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    return new INDArray[] {Kernels.sumTo(in[0], in[1].shape())};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = sumTo(g) => dg = broadcast(upstream) to g's shape
    return Arrays.asList(Ops.broadcastLike(g.upstream(), g.input(0), new int[0]), null);
  }
}
