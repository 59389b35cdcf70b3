package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = value} everywhere, shaped and typed like {@code x} (zerosLike, onesLike). */
public record FillLike(double value) implements Op {
  @Override
  public String name() {
    return "fill_like";
  }

  @Override
  public String describeAttributes() {
    return Double.toString(value);
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    return List.of(in.get(0));
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    if (x.isEmpty()) {
      return new INDArray[] {Nd4j.create(x.dataType(), x.shape())};
    }
    return new INDArray[] {Nd4j.valueArrayOf(x.shape(), value, x.dataType())};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Collections.singletonList(null);
  }
}
