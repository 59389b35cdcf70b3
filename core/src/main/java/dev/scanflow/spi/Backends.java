package dev.scanflow.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the backend: {@code -Dscanflow.backend=cpu|cuda}, else the environment variable {@code
 * SCANFLOW_BACKEND}, else the available backend with the highest priority.
 */
public final class Backends {
  /** The system property naming the backend. */
  public static final String PROPERTY = "scanflow.backend";

  /** The environment variable naming the backend. */
  public static final String ENV = "SCANFLOW_BACKEND";

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
  private static Backend selected;

  private Backends() {}

  /** All backends on the class path, best first. */
  public static List<Backend> installed() {
    List<Backend> all = new ArrayList<>();
    ServiceLoader.load(Backend.class).forEach(all::add);
    all.sort(Comparator.comparingInt(Backend::priority).reversed());
    return all;
  }

  /** The backend requested by property or environment, or {@code null}. */
  public static String requested() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      return p.trim().toLowerCase(Locale.ROOT);
    }
    String e = System.getenv(ENV);
    return e == null || e.isBlank() ? null : e.trim().toLowerCase(Locale.ROOT);
  }

  /** Selects, configures and logs the backend once per JVM; later calls return the same one. */
  public static synchronized Backend init() {
    if (selected == null) {
      Backend b = choose(requested(), installed());
      b.configure();
      LOG.info("scanflow backend: {} {}", b.name(), b.describe());
      selected = b;
    }
    return selected;
  }

  /**
   * Picks a backend from {@code installed}: the one named {@code requested} (which must be present
   * and available), else the best available one.
   *
   * @throws IllegalStateException saying what to add or set when none fits
   */
  public static Backend choose(String requested, List<Backend> installed) {
    if (requested != null) {
      if (!requested.equals("cpu") && !requested.equals("cuda")) {
        throw new IllegalStateException(
            "unknown scanflow backend '"
                + requested
                + "' (from -D"
                + PROPERTY
                + " or "
                + ENV
                + "); use cpu or cuda");
      }
      for (Backend b : installed) {
        if (b.name().equals(requested)) {
          String why = b.unavailableReason();
          if (why != null) {
            throw new IllegalStateException(
                "scanflow backend '" + requested + "' cannot run here: " + why);
          }
          return b;
        }
      }
      throw new IllegalStateException(
          "scanflow backend '"
              + requested
              + "' is not on the class path: add the dependency dev.scanflow:scanflow-backend-"
              + requested
              + (requested.equals("cuda") ? " (build with -Pcuda)" : "")
              + ", or unset -D"
              + PROPERTY
              + " / "
              + ENV);
    }
    List<String> reasons = new ArrayList<>();
    for (Backend b : installed) {
      String why = b.unavailableReason();
      if (why == null) {
        return b;
      }
      reasons.add(b.name() + ": " + why);
    }
    throw new IllegalStateException(
        "no scanflow backend available"
            + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")
            + ": add dev.scanflow:scanflow-backend-cpu to the class path");
  }
}
