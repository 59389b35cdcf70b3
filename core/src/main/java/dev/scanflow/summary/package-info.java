/**
 * TensorBoard summaries without TensorFlow: {@link dev.scanflow.summary.EventFileWriter} writes
 * scalar and histogram events in TensorBoard's record format (length, masked CRC32C, protobuf
 * {@code Event}), encoding the few protobuf fields it needs by hand so the core needs no protobuf
 * library.
 */
package dev.scanflow.summary;
