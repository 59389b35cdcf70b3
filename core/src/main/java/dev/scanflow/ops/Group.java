package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs all its inputs and outputs the scalar {@code true} (one shared array, {@link #DONE}): fetch
 * it to run several ops (a training step's updates) at once.
 */
public record Group() implements Op {
  /** The value every group outputs (shared; do not modify it). */
  public static final INDArray DONE = Nd4j.scalar(true);

  @Override
  public String name() {
    return "group";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    return List.of(new TensorSpec(Shape.scalar(), DType.BOOL));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    return new INDArray[] {DONE};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    List<Tensor> none = new ArrayList<>();
    for (int i = 0; i < g.node().inputs().size(); i++) {
      none.add(null);
    }
    return none;
  }
}
