package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code z = x <kind> y} elementwise with broadcasting, as booleans. Not differentiable. */
public record Compare(Kind kind) implements Binary {
  /** The comparison. */
  public enum Kind {
    GREATER,
    GREATER_EQUAL,
    LESS,
    LESS_EQUAL,
    EQUAL
  }

  @Override
  public String name() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public DType outputType(TensorSpec x) {
    return DType.BOOL;
  }

  @Override
  public INDArray apply(INDArray x, INDArray y, long[] shape) {
    INDArray a = Kernels.broadcastTo(x, shape);
    INDArray b = Kernels.broadcastTo(y, shape);
    return switch (kind) {
      case GREATER -> a.gt(b);
      case GREATER_EQUAL -> Transforms.or(a.gt(b), a.eq(b));
      case LESS -> a.lt(b);
      case LESS_EQUAL -> Transforms.or(a.lt(b), a.eq(b));
      case EQUAL -> a.eq(b);
    };
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Arrays.asList(null, null);
  }
}
