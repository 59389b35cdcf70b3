package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A value fed at run time; its shape may have unknown dimensions. */
public record Placeholder(TensorSpec spec) implements LeafOp {
  @Override
  public String name() {
    return "placeholder";
  }

  @Override
  public String describeAttributes() {
    return spec.toString();
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> inputs) {
    return List.of(spec);
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] inputs) {
    throw new IllegalStateException("placeholder evaluated without a feed");
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of();
  }
}
