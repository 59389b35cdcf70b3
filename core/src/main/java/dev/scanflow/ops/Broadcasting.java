package dev.scanflow.ops;

import dev.scanflow.graph.Op;

/** Marks ops whose inputs broadcast; the autodiff driver sums their gradients back to shape. */
public interface Broadcasting extends Op {}
