package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = [x_0, x_1, ...]} joined along {@code axis}; other dimensions must agree. */
public record Concat(int axis) implements Op {
  @Override
  public String name() {
    return "concat";
  }

  @Override
  public String describeAttributes() {
    return "axis=" + axis;
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    if (in.isEmpty()) {
      throw new IllegalArgumentException("concat: needs at least one input");
    }
    Shape first = in.get(0).shape();
    int a = Kernels.normalizeAxis(name(), axis, first.rank());
    long[] out = first.dims();
    for (int i = 1; i < in.size(); i++) {
      Shape s = in.get(i).shape();
      Kernels.requireSameDType(name(), in.get(0), in.get(i));
      if (s.rank() != first.rank()) {
        throw new IllegalArgumentException("concat: ranks differ: " + first + " and " + s);
      }
      for (int d = 0; d < out.length; d++) {
        if (d == a) {
          out[d] =
              out[d] == Shape.UNKNOWN || s.dim(d) == Shape.UNKNOWN
                  ? Shape.UNKNOWN
                  : out[d] + s.dim(d);
        } else if (out[d] == Shape.UNKNOWN) {
          out[d] = s.dim(d);
        } else if (s.dim(d) != Shape.UNKNOWN && s.dim(d) != out[d]) {
          throw new IllegalArgumentException(
              "concat: dimension " + d + " differs: " + first + " and " + s);
        }
      }
    }
    return Kernels.one(Shape.of(out), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    int a = Kernels.normalizeAxis(name(), axis, in[0].rank());
    long[] out = in[0].shape().clone();
    out[a] = 0;
    List<INDArray> parts = new ArrayList<>();
    for (INDArray x : in) {
      for (int d = 0; d < out.length; d++) {
        if (d != a && x.size(d) != in[0].size(d)) {
          throw new IllegalArgumentException(
              "concat: dimension "
                  + d
                  + " differs at run time: "
                  + Shape.format(in[0].shape())
                  + " and "
                  + Shape.format(x.shape()));
        }
      }
      out[a] += x.size(a);
      if (!x.isEmpty()) {
        parts.add(x);
      }
    }
    if (parts.isEmpty() || Kernels.size(out) == 0) {
      return new INDArray[] {Nd4j.create(in[0].dataType(), out)};
    }
    if (parts.size() == 1) {
      return new INDArray[] {parts.get(0)};
    }
    if (in[0].rank() == 0) {
      throw new IllegalArgumentException("concat: scalars cannot be concatenated; stack them");
    }
    return new INDArray[] {Nd4j.concat(a, parts.toArray(INDArray[]::new))};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = concat(x_0..x_n) => dx_k = the slice of g along axis at x_k's run-time offset
    List<Tensor> out = new ArrayList<>();
    for (int k = 0; k < g.node().inputs().size(); k++) {
      out.add(Ops.concatPart(g.upstream(), axis, k, g.node().inputs()));
    }
    return out;
  }
}
