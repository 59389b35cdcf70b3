package dev.scanflow.ops;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code z = x + y}, broadcasting. */
public record Add() implements Binary {
  @Override
  public String name() {
    return "add";
  }

  @Override
  public INDArray apply(INDArray x, INDArray y, long[] shape) {
    return x.add(y);
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    // dx = g, dy = g (each reduced to its input's shape by the driver)
    return List.of(g.upstream(), g.upstream());
  }
}
