package dev.scanflow.ops;

import dev.scanflow.graph.Op;

/** An op without inputs: placeholders, constants, variables, captures. */
public interface LeafOp extends Op {}
