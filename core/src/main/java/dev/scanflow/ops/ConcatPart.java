package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inputs {@code (g, x_0, ..., x_n)}: the part of {@code g} along {@code axis} that corresponds to
 * {@code x_k} in {@code concat(x_0..x_n)}. The gradient of concat; offsets are read at run time.
 */
public record ConcatPart(int axis, int k) implements Op {
  @Override
  public String name() {
    return "concat_part";
  }

  @Override
  public String describeAttributes() {
    return "axis=" + axis + ", k=" + k;
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    return Kernels.one(in.get(k + 1).shape(), in.get(0).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    INDArray g = in[0];
    int a = Kernels.normalizeAxis(name(), axis, g.rank());
    long offset = 0;
    for (int j = 0; j < k; j++) {
      offset += in[j + 1].size(a);
    }
    long len = in[k + 1].size(a);
    if (in[k + 1].isEmpty()) {
      return new INDArray[] {Nd4j.create(g.dataType(), in[k + 1].shape())};
    }
    INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
    for (int d = 0; d < idx.length; d++) {
      idx[d] = d == a ? NDArrayIndex.interval(offset, offset + len) : NDArrayIndex.all();
    }
    return new INDArray[] {g.get(idx).dup('c')};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // z = part k of g => dg = concat of zeros for the other parts and upstream for part k
    List<Tensor> parts = new ArrayList<>();
    List<Tensor> out = new ArrayList<>();
    out.add(null);
    for (int j = 1; j < g.node().inputs().size(); j++) {
      Tensor x = g.input(j);
      parts.add(j - 1 == k ? g.upstream() : Ops.zerosLike(x).cast(g.upstream().dtype()));
      out.add(null);
    }
    out.set(0, Ops.concat(axis, parts));
    return out;
  }
}
