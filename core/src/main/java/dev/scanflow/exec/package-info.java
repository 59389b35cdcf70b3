/**
 * {@link dev.scanflow.exec.Session} runs graphs: it compiles a {@link dev.scanflow.exec.Plan} per
 * (frame, fed tensors, fetched tensors), caches it, runs only the needed nodes in topological order
 * and drops each intermediate array after its last use. It holds variable values; every read in a
 * run sees the values from the start of the run and assignments apply when the run completes.
 */
package dev.scanflow.exec;
