package dev.scanflow.train;

import dev.scanflow.graph.Tensor;

/** A learning rate as a graph tensor of the global step; write your own as a lambda. */
@FunctionalInterface
public interface Schedule {
  /** The float32 scalar learning rate at {@code globalStep}. */
  Tensor at(Tensor globalStep);
}
