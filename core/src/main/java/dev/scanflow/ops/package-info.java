/**
 * The primitive ops, one record per op holding its attributes, shape inference, forward kernel and
 * gradient rule; {@link dev.scanflow.ops.Ops} builds them and the composed ones (square, relu,
 * maximum, minimum, reduceMean, stack, unstack, zerosLike, fill), which need no rule of their own.
 *
 * <p>Ops with a {@code Like} suffix take a reference tensor and read its run-time shape: they are
 * what gradient rules need when dimensions are unknown at build time (the seed's sequences have a
 * different length on every step).
 */
package dev.scanflow.ops;
