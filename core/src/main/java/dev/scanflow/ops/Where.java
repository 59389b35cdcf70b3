package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code z = cond ? x : y} elementwise, all three broadcasting together. */
public record Where() implements Broadcasting {
  @Override
  public String name() {
    return "where";
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    Kernels.requireArity(name(), in, 3);
    if (in.get(0).dtype() != DType.BOOL) {
      throw new IllegalArgumentException("where: condition must be bool, got " + in.get(0).dtype());
    }
    Kernels.requireSameDType(name(), in.get(1), in.get(2));
    Shape s = Kernels.broadcast(name(), in.get(1).shape(), in.get(2).shape());
    return Kernels.one(Kernels.broadcast(name(), in.get(0).shape(), s), in.get(1).dtype());
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    long[] shape =
        Kernels.broadcast(
            name(), in[0].shape(), Kernels.broadcast(name(), in[1].shape(), in[2].shape()));
    if (Kernels.size(shape) == 0) {
      return new INDArray[] {Nd4j.create(in[1].dataType(), shape)};
    }
    // ND4J 1.0.0-M2.1's putWhereWithMask and Nd4j.where do not select elementwise; select here.
    double[] c = flat(in[0], shape);
    double[] x = flat(in[1], shape);
    double[] y = flat(in[2], shape);
    for (int i = 0; i < y.length; i++) {
      if (c[i] != 0) {
        y[i] = x[i];
      }
    }
    return new INDArray[] {Nd4j.createFromArray(y).reshape('c', shape).castTo(in[1].dataType())};
  }

  private static double[] flat(INDArray a, long[] shape) {
    INDArray b = Kernels.broadcastTo(a, shape).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    return b.dup('c').reshape(b.length()).toDoubleVector();
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = where(c, g, 0), dy = where(c, 0, g)
    Tensor zero = Ops.zerosLike(g.upstream());
    Tensor c = g.input(0);
    return Arrays.asList(null, Ops.where(c, g.upstream(), zero), Ops.where(c, zero, g.upstream()));
  }
}
