package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = op(x) op(y)} for matrices, where {@code op} transposes when its flag is set. */
public record MatMul(boolean transposeX, boolean transposeY) implements Op {
  @Override
  public String name() {
    return "matmul";
  }

  @Override
  public String describeAttributes() {
    return transposeX || transposeY ? "tx=" + transposeX + ", ty=" + transposeY : "";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    Shape a = in.get(0).shape();
    Shape b = in.get(1).shape();
    if (a.rank() != 2 || b.rank() != 2) {
      throw new IllegalArgumentException(
          "matmul: both inputs must be matrices (rank 2), got " + a + " x " + b);
    }
    Kernels.requireSameDType(name(), in.get(0), in.get(1));
    Kernels.requireFloating(name(), in.get(0));
    long m = a.dim(transposeX ? 1 : 0);
    long k1 = a.dim(transposeX ? 0 : 1);
    long k2 = b.dim(transposeY ? 1 : 0);
    long n = b.dim(transposeY ? 0 : 1);
    if (k1 != Shape.UNKNOWN && k2 != Shape.UNKNOWN && k1 != k2) {
      throw new IllegalArgumentException(
          "matmul: inner dimensions differ: "
              + a
              + (transposeX ? "^T" : "")
              + " x "
              + b
              + (transposeY ? "^T" : ""));
    }
    return Kernels.one(Shape.of(m, n), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    INDArray y = in[1];
    long m = x.size(transposeX ? 1 : 0);
    long k = x.size(transposeX ? 0 : 1);
    long k2 = y.size(transposeY ? 1 : 0);
    long n = y.size(transposeY ? 0 : 1);
    if (k != k2) {
      throw new IllegalArgumentException(
          "matmul: inner dimensions differ at run time: "
              + Shape.format(x.shape())
              + " x "
              + Shape.format(y.shape()));
    }
    if (m == 0 || n == 0 || k == 0) {
      return new INDArray[] {Nd4j.zeros(x.dataType(), m, n)};
    }
    return new INDArray[] {Nd4j.gemm(x, y, transposeX, transposeY)};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = x y, x:[m,k] y:[k,n] g:[m,n] => dx = g y^T : [m,k], dy = x^T g : [k,n]
    // with transposes, the same algebra applied to op(x), op(y), then transposed back.
    Tensor up = g.upstream();
    Tensor x = g.input(0);
    Tensor y = g.input(1);
    Tensor dx =
        transposeX ? Ops.matmul(y, up, transposeY, true) : Ops.matmul(up, y, false, !transposeY);
    Tensor dy =
        transposeY ? Ops.matmul(up, x, true, transposeX) : Ops.matmul(x, up, !transposeX, false);
    return List.of(dx, dy);
  }
}
