/**
 * Checkpoints: {@link dev.scanflow.io.Checkpoint} saves variables (including the global step and
 * optimiser slots, which are variables too) as a zip of NumPy files plus a manifest, atomically;
 * {@link dev.scanflow.io.CheckpointManager} keeps the newest N in a directory.
 */
package dev.scanflow.io;
