package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = sum of x over axes} (all axes when none are given), keeping them as 1 on request. */
public record ReduceSum(int[] axes, boolean keepDims) implements Op {
  @Override
  public String name() {
    return "reduce_sum";
  }

  @Override
  public String describeAttributes() {
    return "axes=" + Arrays.toString(axes) + (keepDims ? ", keepDims" : "");
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Shape x = in.get(0).shape();
    int[] ax = Kernels.normalizeAxes(name(), axes, x.rank());
    return Kernels.one(Shape.of(reducedShape(x.dims(), ax, keepDims)), in.get(0).dtype());
  }

  static long[] reducedShape(long[] dims, int[] axes, boolean keep) {
    long[] out = new long[keep ? dims.length : dims.length - axes.length];
    int j = 0;
    for (int i = 0; i < dims.length; i++) {
      boolean reduced = Arrays.binarySearch(axes, i) >= 0;
      if (!reduced) {
        out[j++] = dims[i];
      } else if (keep) {
        out[j++] = 1;
      }
    }
    return out;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    int[] ax = Kernels.normalizeAxes(name(), axes, x.rank());
    long[] shape = reducedShape(x.shape(), ax, keepDims);
    if (ax.length == 0) {
      return new INDArray[] {x};
    }
    if (x.isEmpty()) {
      return new INDArray[] {Nd4j.zeros(x.dataType(), shape)};
    }
    return new INDArray[] {x.sum(keepDims, ax).reshape('c', shape)};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = sum_axes x  => dx = broadcast(g with the reduced axes restored as 1) to x's shape
    int[] ax = Kernels.normalizeAxes(name(), axes, g.input(0).rank());
    return List.of(Ops.broadcastLike(g.upstream(), g.input(0), keepDims ? new int[0] : ax));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReduceSum r && r.keepDims == keepDims && Arrays.equals(r.axes, axes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(axes) * 31 + (keepDims ? 1 : 0);
  }
}
