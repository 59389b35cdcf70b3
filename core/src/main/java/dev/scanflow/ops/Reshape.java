package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x} with another shape (row-major); one dimension may be {@code -1} (inferred). */
public record Reshape(long[] shape) implements Op {
  @Override
  public String name() {
    return "reshape";
  }

  @Override
  public String describeAttributes() {
    return Arrays.toString(shape);
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Shape x = in.get(0).shape();
    int unknown = 0;
    long known = 1;
    for (long d : shape) {
      if (d == -1) {
        unknown++;
      } else if (d < 0) {
        throw new IllegalArgumentException("reshape: invalid dimension " + d);
      } else {
        known *= d;
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException(
          "reshape: at most one dimension may be -1, got " + Arrays.toString(shape));
    }
    long n = x.size();
    long[] out = shape.clone();
    if (n >= 0) {
      if (unknown == 0 && n != known) {
        throw new IllegalArgumentException(
            "reshape: cannot reshape " + x + " (" + n + " elements) to " + Shape.of(shape));
      }
      if (unknown == 1) {
        if (known == 0 || n % known != 0) {
          throw new IllegalArgumentException(
              "reshape: cannot reshape " + x + " to " + Shape.of(shape));
        }
        out[indexOfUnknown()] = n / known;
      }
    }
    return Kernels.one(Shape.of(out), in.get(0).dtype());
  }

  private int indexOfUnknown() {
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray x = in[0];
    long[] out = shape.clone();
    long known = 1;
    for (long d : shape) {
      known *= d == -1 ? 1 : d;
    }
    int u = indexOfUnknown();
    if (u >= 0) {
      if (known == 0 || x.length() % known != 0) {
        throw new IllegalArgumentException(
            "reshape: cannot reshape " + Shape.format(x.shape()) + " to " + Arrays.toString(shape));
      }
      out[u] = x.length() / known;
    } else if (known != x.length()) {
      throw new IllegalArgumentException(
          "reshape: cannot reshape " + Shape.format(x.shape()) + " to " + Arrays.toString(shape));
    }
    return new INDArray[] {ShapeKernels.reshape(x, out)};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = reshape(g, shape of x)
    return List.of(Ops.reshapeLike(g.upstream(), g.input(0)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reshape r && Arrays.equals(r.shape, shape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape);
  }
}
