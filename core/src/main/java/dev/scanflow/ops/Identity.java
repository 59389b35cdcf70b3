package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code y = x}. */
public record Identity() implements Op {
  @Override
  public String name() {
    return "identity";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    return List.of(in.get(0));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    return new INDArray[] {in[0]};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g
    return List.of(g.upstream());
  }
}
