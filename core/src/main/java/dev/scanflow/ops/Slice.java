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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code z = x[begin : begin + size]} per dimension; a size of {@code -1} runs to the end. */
public record Slice(long[] begin, long[] size) implements Op {
  @Override
  public String name() {
    return "slice";
  }

  @Override
  public String describeAttributes() {
    return "begin=" + Arrays.toString(begin) + ", size=" + Arrays.toString(size);
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Shape x = in.get(0).shape();
    if (begin.length != x.rank() || size.length != x.rank()) {
      throw new IllegalArgumentException(
          "slice: begin "
              + Arrays.toString(begin)
              + " and size "
              + Arrays.toString(size)
              + " must have rank "
              + x.rank()
              + " of "
              + x);
    }
    long[] out = new long[x.rank()];
    for (int d = 0; d < out.length; d++) {
      long dim = x.dim(d);
      if (begin[d] < 0 || size[d] < -1) {
        throw new IllegalArgumentException("slice: negative begin or size in dimension " + d);
      }
      if (dim != Shape.UNKNOWN && begin[d] + Math.max(size[d], 0) > dim) {
        throw new IllegalArgumentException(
            "slice: ["
                + begin[d]
                + ", "
                + (begin[d] + size[d])
                + ") exceeds dimension "
                + d
                + " of "
                + x);
      }
      out[d] = size[d] != -1 ? size[d] : dim == Shape.UNKNOWN ? Shape.UNKNOWN : dim - begin[d];
    }
    return Kernels.one(Shape.of(out), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    long[] out = new long[x.rank()];
    INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
    for (int d = 0; d < out.length; d++) {
      long end = size[d] == -1 ? x.size(d) : begin[d] + size[d];
      if (end > x.size(d) || begin[d] > x.size(d)) {
        throw new IllegalArgumentException(
            "slice: ["
                + begin[d]
                + ", "
                + end
                + ") exceeds dimension "
                + d
                + " of "
                + Shape.format(x.shape()));
      }
      out[d] = end - begin[d];
      idx[d] = NDArrayIndex.interval(begin[d], end);
    }
    if (Kernels.size(out) == 0) {
      return new INDArray[] {Nd4j.create(x.dataType(), out)};
    }
    if (x.rank() == 0) {
      return new INDArray[] {x};
    }
    return new INDArray[] {x.get(idx).dup('c').reshape('c', out)};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = zeros shaped like x with g placed at begin
    return List.of(Ops.padLike(g.upstream(), g.input(0), begin));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slice s && Arrays.equals(s.begin, begin) && Arrays.equals(s.size, size);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(begin) * 31 + Arrays.hashCode(size);
  }
}
