package dev.scanflow.spi;

import java.util.Map;

/**
 * An execution backend, found with {@link java.util.ServiceLoader}: the CPU backend ({@code
 * scanflow-backend-cpu}) or the CUDA backend ({@code scanflow-backend-cuda}).
 */
public interface Backend {
  /** The short name used with {@code -Dscanflow.backend}: {@code cpu} or {@code cuda}. */
  String name();

  /** Higher is preferred when no backend is requested. */
  int priority();

  /**
   * Why this backend cannot run here (no device, missing natives), or {@code null} when it can.
   * Must not initialise ND4J.
   */
  String unavailableReason();

  /**
   * Prepares ND4J for this backend (thread policy, backend choice) before its first use. Called
   * once, before any array is created.
   */
  void configure();

  /** Facts worth logging once: BLAS vendor, thread counts, device. */
  Map<String, Object> describe();
}
