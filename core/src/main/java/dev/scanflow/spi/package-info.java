/**
 * The backend service-provider interface: {@link dev.scanflow.spi.Backend} implementations are
 * found with {@link java.util.ServiceLoader}; {@link dev.scanflow.spi.Backends} picks one from
 * {@code -Dscanflow.backend}, {@code SCANFLOW_BACKEND} or availability, and logs it once.
 */
package dev.scanflow.spi;
