/**
 * Training: the global step, optimisers ({@link dev.scanflow.train.GradientDescent}, {@link
 * dev.scanflow.train.Momentum}, {@link dev.scanflow.train.Adam}, {@link
 * dev.scanflow.train.RMSProp}) that build update ops in the graph, {@link
 * dev.scanflow.train.Clipping} (global-norm, value, norm), learning-rate {@link
 * dev.scanflow.train.Schedule}s and {@link dev.scanflow.train.ExponentialMovingAverage}, all with
 * TensorFlow 1's formulas.
 *
 * <p>Because a session applies assignments when a run completes, fetching a loss, its moving
 * average and the training op in one run reads everything before the update, which is exactly what
 * the seed's training loop prints.
 */
package dev.scanflow.train;
