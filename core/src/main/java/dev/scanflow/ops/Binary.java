package dev.scanflow.ops;

import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary elementwise op with NumPy broadcasting. The autodiff driver reduces each returned
 * gradient back to its input's shape, so rules return broadcast-shaped gradients.
 */
interface Binary extends Broadcasting {
  /** The kernel on non-empty arrays whose shapes broadcast to {@code shape}. */
  INDArray apply(INDArray x, INDArray y, long[] shape);

  @Override
  default List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    Kernels.requireSameDType(name(), in.get(0), in.get(1));
    return Kernels.one(
        Kernels.broadcast(name(), in.get(0).shape(), in.get(1).shape()), outputType(in.get(0)));
  }

  default dev.scanflow.graph.DType outputType(TensorSpec x) {
    return x.dtype();
  }

  @Override
  default INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    long[] shape = Kernels.broadcast(name(), in[0].shape(), in[1].shape());
    if (Kernels.size(shape) == 0) {
      return new INDArray[] {
        org.nd4j.linalg.factory.Nd4j.create(outputType(specOf(in[0])).nd4j(), shape)
      };
    }
    return new INDArray[] {apply(in[0], in[1], shape)};
  }

  private static TensorSpec specOf(INDArray a) {
    return new TensorSpec(
        dev.scanflow.graph.Shape.of(a.shape()), dev.scanflow.graph.DType.of(a.dataType()));
  }
}
