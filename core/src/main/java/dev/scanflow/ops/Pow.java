package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code z = x ^ p}, broadcasting. */
public record Pow() implements Binary {
  @Override
  public String name() {
    return "pow";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    Kernels.requireFloating(name(), in.get(0));
    return Binary.super.inferShape(in);
  }

  @Override
  public INDArray apply(INDArray x, INDArray p, long[] shape) {
    if (p.length() == 1) {
      INDArray r = Transforms.pow(Kernels.broadcastTo(x, shape), p.getDouble(0), true);
      return r;
    }
    return Transforms.pow(
        Kernels.broadcastTo(x, shape).dup(), Kernels.broadcastTo(p, shape).dup(), false);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g p x^(p-1); dp = g z ln(x) where x > 0, else 0
    Tensor x = g.input(0);
    Tensor p = g.input(1);
    Tensor dx = Ops.mul(g.upstream(), Ops.mul(p, Ops.pow(x, Ops.sub(p, Ops.scalarLike(p, 1)))));
    Tensor positive = Ops.greater(x, Ops.scalarLike(x, 0));
    Tensor safeX = Ops.where(positive, x, Ops.onesLike(x));
    Tensor dp =
        Ops.mul(
            g.upstream(),
            Ops.mul(g.output(), Ops.where(positive, Ops.log(safeX), Ops.zerosLike(x))));
    return List.of(dx, dp);
  }
}
