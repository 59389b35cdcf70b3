package dev.scanflow.backend.cpu;

import dev.scanflow.spi.Backend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's native CPU backend. Its thread policy: one OpenMP/BLAS thread unless {@code
 * -Dscanflow.cpu.threads=N} or {@code SCANFLOW_CPU_THREADS=N} says otherwise. One thread is the
 * default because scanflow's per-step ops are small (an RNN step at H = 256 multiplies a 1x256
 * vector by a 256x256 matrix); on a 2-core machine a second thread made a 128x128 product about 25
 * times slower. Raise it for large batches.
 *
 * <p>Compiled frames' products go to {@link OpenBlasGemm}: large ones are split over {@link
 * #productThreads()} threads, each making single-threaded BLAS calls, and batch products up to 256
 * wide run on Vector API kernels when the JVM has {@code jdk.incubator.vector} ({@link
 * #vectorProducts()}). {@link #describe()} reports both.
 */
public final class CpuBackend implements Backend {
  /** The system property setting the thread count. */
  public static final String THREADS_PROPERTY = "scanflow.cpu.threads";

  /** The environment variable setting the thread count. */
  public static final String THREADS_ENV = "SCANFLOW_CPU_THREADS";

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public String unavailableReason() {
    try {
      Class.forName(
          "org.nd4j.linalg.cpu.nativecpu.CpuBackend", false, CpuBackend.class.getClassLoader());
      return null;
    } catch (ClassNotFoundException e) {
      return "nd4j-native is not on the class path (add org.nd4j:nd4j-native-platform)";
    }
  }

  /** The system property setting how many threads a large compiled matrix product may use. */
  public static final String PRODUCT_THREADS_PROPERTY = "scanflow.cpu.productThreads";

  /** The environment variable setting the same. */
  public static final String PRODUCT_THREADS_ENV = "SCANFLOW_CPU_PRODUCT_THREADS";

  /**
   * How many threads a large matrix product in a compiled frame (see {@code OpenBlasGemm}) may use:
   * {@code -Dscanflow.cpu.productThreads=N} or {@code SCANFLOW_CPU_PRODUCT_THREADS=N}, else the
   * number of cores. Each thread makes single-threaded BLAS calls on its own column block; products
   * under about a million multiply-adds (a batch-1 RNN step) always run on the calling thread.
   */
  public static int productThreads() {
    return productThreads(
        System.getProperty(PRODUCT_THREADS_PROPERTY), System.getenv(PRODUCT_THREADS_ENV));
  }

  static int productThreads(String property, String env) {
    String v = property != null ? property : env;
    if (v == null || v.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    return positive(v, "-D" + PRODUCT_THREADS_PROPERTY + " or " + PRODUCT_THREADS_ENV);
  }

  /** The system property that turns the Vector API product kernels off ({@code false}). */
  public static final String VECTOR_PROPERTY = "scanflow.cpu.vector";

  /** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
  public static boolean vectorApiPresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * Whether small matrix products in compiled frames run on the Vector API kernels: when the module
   * is present, unless {@code -Dscanflow.cpu.vector=false}.
   */
  public static boolean vectorProducts() {
    return vectorApiPresent() && vectorSetting(System.getProperty(VECTOR_PROPERTY));
  }

  static boolean vectorSetting(String v) {
    if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalStateException(
        "invalid value '" + v + "' for -D" + VECTOR_PROPERTY + "; use true or false");
  }

  /** The configured thread count (at least 1). */
  public static int threads() {
    return threads(System.getProperty(THREADS_PROPERTY), System.getenv(THREADS_ENV));
  }

  static int threads(String property, String env) {
    String v = property != null ? property : env;
    if (v == null || v.isBlank()) {
      return 1;
    }
    return positive(v, "-D" + THREADS_PROPERTY + " or " + THREADS_ENV);
  }

  private static int positive(String v, String source) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "invalid CPU thread count '" + v + "' (from " + source + "); use a positive integer");
    }
  }

  @Override
  public void configure() {
    int n = threads();
    productThreads(); // fail here, naming the setting, rather than at the first product
    vectorProducts();
    String loaded = Nd4j.getBackend().getClass().getName();
    if (!loaded.contains(".cpu.")) {
      throw new IllegalStateException(
          "scanflow backend 'cpu' was requested but ND4J loaded "
              + loaded
              + "; remove the CUDA backend from the class path or set BACKEND_PRIORITY_CPU above BACKEND_PRIORITY_GPU");
    }
    Nd4j.getEnvironment().setMaxMasterThreads(n);
    Nd4j.getEnvironment().setMaxThreads(n);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  @Override
  public Map<String, Object> describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("blas.vendor", env.get("blas.vendor"));
    d.put("blas.threads", Nd4j.factory().blas().getMaxThreads());
    d.put("omp.threads", NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
    d.put("product.threads", productThreads());
    d.put(
        "small.products",
        vectorProducts()
            ? "Vector API"
            : vectorApiPresent()
                ? "OpenBLAS (Vector API turned off)"
                : "OpenBLAS (add --add-modules jdk.incubator.vector for the Vector API kernels)");
    d.put("cores", env.get("cores"));
    return d;
  }
}
