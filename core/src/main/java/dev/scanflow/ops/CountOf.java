package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The number of elements of {@code x} along {@code axes} (all when none), as a scalar of x's type.
 * Used to compose the mean when dimensions are known only at run time. Not differentiable.
 */
public record CountOf(int[] axes) implements Op {
  @Override
  public String name() {
    return "count_of";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Kernels.normalizeAxes(name(), axes, in.get(0).shape().rank());
    return Kernels.one(Shape.scalar(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    long n = 1;
    for (int a : Kernels.normalizeAxes(name(), axes, in[0].rank())) {
      n *= in[0].size(a);
    }
    return new INDArray[] {Nd4j.scalar((double) n).castTo(in[0].dataType())};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return Collections.singletonList(null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CountOf c && Arrays.equals(c.axes, axes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(axes);
  }
}
