package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x} without its dimension {@code axis}, which must have size 1. */
public record Squeeze(int axis) implements Op {
  @Override
  public String name() {
    return "squeeze";
  }

  @Override
  public String describeAttributes() {
    return "axis=" + axis;
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Shape x = in.get(0).shape();
    int a = Kernels.normalizeAxis(name(), axis, x.rank());
    if (x.dim(a) != 1 && x.dim(a) != Shape.UNKNOWN) {
      throw new IllegalArgumentException("squeeze: dimension " + a + " of " + x + " is not 1");
    }
    return Kernels.one(Shape.of(drop(x.dims(), a)), in.get(0).dtype());
  }

  static long[] drop(long[] d, int a) {
    long[] out = new long[d.length - 1];
    for (int i = 0, j = 0; i < d.length; i++) {
      if (i != a) {
        out[j++] = d[i];
      }
    }
    return out;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    int a = Kernels.normalizeAxis(name(), axis, in[0].rank());
    if (in[0].size(a) != 1) {
      throw new IllegalArgumentException(
          "squeeze: dimension " + a + " of " + Shape.format(in[0].shape()) + " is not 1");
    }
    return new INDArray[] {ShapeKernels.reshape(in[0], drop(in[0].shape(), a))};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of(Ops.reshapeLike(g.upstream(), g.input(0)));
  }
}
