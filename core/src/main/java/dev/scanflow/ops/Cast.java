package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = x} converted to type {@code to}. */
public record Cast(DType to) implements Op {
  @Override
  public String name() {
    return "cast";
  }

  @Override
  public String describeAttributes() {
    return to.toString();
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    return List.of(new TensorSpec(in.get(0).shape(), to));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    if (x.dataType() == to.nd4j()) {
      return new INDArray[] {x};
    }
    if (x.isEmpty()) {
      return new INDArray[] {Nd4j.create(to.nd4j(), x.shape())};
    }
    return new INDArray[] {x.castTo(to.nd4j())};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = cast(g, type of x), only between floating types
    DType from = g.input(0).dtype();
    if (!from.isFloating() || !to.isFloating()) {
      return Collections.singletonList(null);
    }
    return List.of(Ops.cast(g.upstream(), from));
  }
}
