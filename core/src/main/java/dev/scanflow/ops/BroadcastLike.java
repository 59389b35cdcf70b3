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
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code z = broadcast(g, shape of ref)}, after re-inserting the {@code axes} of {@code ref} that
 * {@code g} lacks as size 1. The gradient of a reduction; its own gradient sums back.
 */
public record BroadcastLike(int[] axes) implements Op {
  @Override
  public String name() {
    return "broadcast_like";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 2);
    Shape g = in.get(0).shape();
    Shape ref = in.get(1).shape();
    if (g.rank() + axes.length > ref.rank() && axes.length > 0) {
      throw new IllegalArgumentException(
          "broadcast_like: cannot restore axes "
              + Arrays.toString(axes)
              + " of "
              + ref
              + " to "
              + g);
    }
    return Kernels.one(ref, in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    long[] target = in[1].shape();
    INDArray g = in[0];
    if (axes.length > 0) {
      long[] kept = target.clone();
      for (int a : axes) {
        kept[a] = 1;
      }
      g = g.reshape('c', kept);
    }
    if (Kernels.size(target) == 0) {
      return new INDArray[] {Nd4j.create(g.dataType(), target)};
    }
    return new INDArray[] {Kernels.broadcastTo(g, target)};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = broadcast(g) => dg = sum of upstream over the broadcast axes, shaped like g
    Tensor up = g.upstream();
    if (axes.length > 0) {
      up = Ops.reduceSum(up, false, axes);
    }
    return Arrays.asList(Ops.sumToShapeOf(up, g.input(0)), null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BroadcastLike b && Arrays.equals(b.axes, axes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(axes);
  }
}
