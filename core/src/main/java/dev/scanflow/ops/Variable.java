package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads a variable whose value the session holds; {@code fullName} includes its scopes. */
public record Variable(String fullName, TensorSpec spec, Initializer initializer, boolean trainable)
    implements LeafOp {
  @Override
  public String name() {
    return "variable";
  }

  @Override
  public String describeAttributes() {
    return spec + (trainable ? "" : ", not trainable");
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> inputs) {
    return List.of(spec);
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] inputs) {
    throw new IllegalStateException("variables are read by the session");
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of();
  }
}
