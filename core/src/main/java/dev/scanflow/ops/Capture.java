package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inside a scan body, the value of a tensor of an enclosing frame (a weight, a bias, a
 * placeholder), or one of the body's own arguments. The scan feeds it on every step.
 */
public record Capture(TensorSpec spec) implements LeafOp {
  @Override
  public String name() {
    return "capture";
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
    throw new IllegalStateException("body argument evaluated without a value");
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of();
  }
}
