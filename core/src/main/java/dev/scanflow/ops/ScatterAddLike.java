package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inputs {@code (g, indices, ref)}: zeros shaped like ref, with {@code g[i]} added to row {@code
 * indices[i]}. The gradient of gather.
 */
public record ScatterAddLike() implements Op {
  @Override
  public String name() {
    return "scatter_add_like";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 3);
    return Kernels.one(in.get(2).shape(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray ref = in[2];
    INDArray out = Nd4j.zeros(in[0].dataType(), ref.shape());
    long[] idx = Gather.indices(in[1], ref.size(0));
    if (out.isEmpty() || idx.length == 0) {
      return new INDArray[] {out};
    }
    long row = out.length() / ref.size(0);
    INDArray o2 = out.reshape('c', ref.size(0), row);
    INDArray g2 = in[0].reshape('c', idx.length, row);
    for (int i = 0; i < idx.length; i++) {
      o2.getRow(idx[i]).addi(g2.getRow(i));
    }
    return new INDArray[] {out};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dg = gather(upstream, indices)
    return Arrays.asList(Ops.gather(g.upstream(), g.input(1)), null, null);
  }
}
