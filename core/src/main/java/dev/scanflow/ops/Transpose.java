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

/** {@code z[i_perm] = x[i]}: dimension {@code k} of z is dimension {@code perm[k]} of x. */
public record Transpose(int[] perm) implements Op {
  @Override
  public String name() {
    return "transpose";
  }

  @Override
  public String describeAttributes() {
    return Arrays.toString(perm);
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 1);
    Shape x = in.get(0).shape();
    int[] p = effective(x.rank());
    long[] out = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = x.dim(p[i]);
    }
    return Kernels.one(Shape.of(out), in.get(0).dtype());
  }

  /** The permutation, or the reversal of all axes when none was given. */
  int[] effective(int rank) {
    if (perm.length == 0) {
      int[] p = new int[rank];
      for (int i = 0; i < rank; i++) {
        p[i] = rank - 1 - i;
      }
      return p;
    }
    if (perm.length != rank) {
      throw new IllegalArgumentException(
          "transpose: permutation " + Arrays.toString(perm) + " does not match rank " + rank);
    }
    boolean[] seen = new boolean[rank];
    for (int a : perm) {
      if (a < 0 || a >= rank || seen[a]) {
        throw new IllegalArgumentException(
            "transpose: " + Arrays.toString(perm) + " is not a permutation");
      }
      seen[a] = true;
    }
    return perm;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    int[] p = effective(in[0].rank());
    if (in[0].isEmpty() || in[0].rank() < 2) {
      long[] out = new long[p.length];
      for (int i = 0; i < p.length; i++) {
        out[i] = in[0].size(p[i]);
      }
      return new INDArray[] {in[0].isEmpty() ? Nd4j.create(in[0].dataType(), out) : in[0]};
    }
    return new INDArray[] {in[0].permute(p).dup('c')};
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = transpose(g, inverse(perm))
    int[] p = effective(g.input(0).rank());
    int[] inv = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      inv[p[i]] = i;
    }
    return List.of(Ops.transpose(g.upstream(), inv));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transpose t && Arrays.equals(t.perm, perm);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perm);
  }
}
