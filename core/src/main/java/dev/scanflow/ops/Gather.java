package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z[i] = x[indices[i]]}: rows of x picked by a vector of int indices. */
public record Gather() implements Op {
  @Override
  public String name() {
    return "gather";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    TensorSpec idx = in.get(1);
    if (idx.dtype() != DType.INT32 && idx.dtype() != DType.INT64 || idx.shape().rank() != 1) {
      throw new IllegalArgumentException("gather: indices must be an int vector, got " + idx);
    }
    if (in.get(0).shape().rank() < 1) {
      throw new IllegalArgumentException("gather: cannot gather rows of a scalar");
    }
    return Kernels.one(
        in.get(0).shape().dropFirst().prepend(idx.shape().dim(0)), in.get(0).dtype());
  }

  static long[] indices(INDArray idx, long rows) {
    long[] r = idx.isEmpty() ? new long[0] : idx.toLongVector();
    for (long i : r) {
      if (i < 0 || i >= rows) {
        throw new IllegalArgumentException(
            "gather: index " + i + " out of range [0, " + rows + ")");
      }
    }
    return r;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    long[] idx = indices(in[1], x.size(0));
    long[] shape = x.shape().clone();
    shape[0] = idx.length;
    INDArray out = Nd4j.create(x.dataType(), shape);
    if (Kernels.size(shape) == 0) {
      return new INDArray[] {out};
    }
    INDArray x2 = x.reshape('c', x.size(0), x.length() / x.size(0));
    INDArray o2 = out.reshape('c', idx.length, x2.size(1));
    for (int i = 0; i < idx.length; i++) {
      o2.getRow(i).assign(x2.getRow(idx[i]));
    }
    return new INDArray[] {out};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = zeros like x, with row indices[i] += g[i]
    return Arrays.asList(Ops.scatterAddLike(g.upstream(), g.input(1), g.input(0)), null);
  }
}
