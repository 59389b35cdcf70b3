package dev.scanflow.exec;

/**
 * Whether sessions and scans use {@link CompiledFrame}s (default on; {@code
 * -Dscanflow.compiled=false} turns them off). The generic op-by-op path is the reference; tests
 * turn compilation off to compare the two.
 */
public final class Compilation {
  private static volatile boolean enabled =
      !"false".equals(System.getProperty("scanflow.compiled"));

  private Compilation() {}

  public static boolean isEnabled() {
    return enabled;
  }

  public static void setEnabled(boolean on) {
    enabled = on;
  }
}
