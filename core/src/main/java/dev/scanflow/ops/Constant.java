package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A constant array (owned by the graph; never modified). */
public record Constant(INDArray value) implements LeafOp {
  @Override
  public String name() {
    return "const";
  }

  @Override
  public String describeAttributes() {
    return value.length() <= 4 ? java.util.Arrays.toString(value.toDoubleVector()) : "";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> inputs) {
    return List.of(new TensorSpec(Shape.of(value.shape()), DType.of(value.dataType())));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] inputs) {
    return new INDArray[] {value};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return List.of();
  }
}
