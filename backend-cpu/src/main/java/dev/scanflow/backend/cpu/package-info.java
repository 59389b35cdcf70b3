/**
 * The CPU backend: ND4J's native backend with OpenBLAS, registered as a {@link
 * dev.scanflow.spi.Backend} through {@link java.util.ServiceLoader}. See {@link
 * dev.scanflow.backend.cpu.CpuBackend} for its thread policy.
 */
package dev.scanflow.backend.cpu;
