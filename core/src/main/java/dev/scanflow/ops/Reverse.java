package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z[i] = x[n - 1 - i]}: the rows (first dimension) of x in reverse order. */
public record Reverse() implements Op {
  @Override
  public String name() {
    return "reverse";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    if (in.get(0).shape().rank() < 1) {
      throw new IllegalArgumentException("reverse: cannot reverse the rows of a scalar");
    }
    return List.of(in.get(0));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    long n = x.size(0);
    if (x.isEmpty() || n <= 1) {
      return new INDArray[] {x};
    }
    INDArray out = Nd4j.create(x.dataType(), x.shape());
    INDArray x2 = x.reshape('c', n, x.length() / n);
    INDArray o2 = out.reshape('c', n, x.length() / n);
    for (long i = 0; i < n; i++) {
      o2.getRow(i).assign(x2.getRow(n - 1 - i));
    }
    return new INDArray[] {out};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = reverse(g)
    return List.of(Ops.reverse(g.upstream()));
  }
}
