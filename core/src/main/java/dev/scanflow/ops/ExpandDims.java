package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x} with a new dimension of size 1 at {@code axis}. */
public record ExpandDims(int axis) implements Op {
  @Override
  public String name() {
    return "expand_dims";
  }

  @Override
  public String describeAttributes() {
    return "axis=" + axis;
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    long[] d = in.get(0).shape().dims();
    return Kernels.one(
        Shape.of(expand(d, Kernels.normalizeAxis(name(), axis, d.length + 1))), in.get(0).dtype());
  }

  static long[] expand(long[] d, int a) {
    long[] out = new long[d.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == a ? 1 : d[j++];
    }
    return out;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    int a = Kernels.normalizeAxis(name(), axis, in[0].rank() + 1);
    return new INDArray[] {ShapeKernels.reshape(in[0], expand(in[0].shape(), a))};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of(Ops.reshapeLike(g.upstream(), g.input(0)));
  }
}
