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

/** {@code z = zeros shaped like ref, with g written at offset begin}. The gradient of slice. */
public record PadLike(long[] begin) implements Op {
  @Override
  public String name() {
    return "pad_like";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    if (in.get(0).shape().rank() != in.get(1).shape().rank()) {
      throw new IllegalArgumentException(
          "pad_like: ranks differ: " + in.get(0).shape() + " and " + in.get(1).shape());
    }
    return Kernels.one(in.get(1).shape(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray g = in[0];
    INDArray out = Nd4j.zeros(g.dataType(), in[1].shape());
    if (g.isEmpty() || g.rank() == 0) {
      return new INDArray[] {g.rank() == 0 ? g.dup() : out};
    }
    INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
    for (int d = 0; d < idx.length; d++) {
      idx[d] = NDArrayIndex.interval(begin[d], begin[d] + g.size(d));
    }
    out.get(idx).assign(g);
    return new INDArray[] {out};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dg = slice(upstream, begin, shape of g)
    Shape s = g.input(0).shape();
    long[] size = s.dims();
    return Arrays.asList(Ops.slice(g.upstream(), begin, size), null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PadLike p && Arrays.equals(p.begin, begin);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(begin);
  }
}
