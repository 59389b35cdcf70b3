package dev.scanflow.train;

import dev.scanflow.graph.Tensor;

/** A gradient and the variable it belongs to; a {@code null} gradient leaves the variable alone. */
public record GradAndVar(Tensor gradient, Tensor variable) {}
