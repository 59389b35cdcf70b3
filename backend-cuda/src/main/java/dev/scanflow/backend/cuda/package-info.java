/**
 * The CUDA backend, registered through {@link java.util.ServiceLoader}; built with {@code -Pcuda}.
 */
package dev.scanflow.backend.cuda;
