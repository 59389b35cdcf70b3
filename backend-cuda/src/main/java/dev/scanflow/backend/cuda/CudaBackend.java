package dev.scanflow.backend.cuda;

import dev.scanflow.spi.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's CUDA 11.6 backend. Preferred over the CPU when a device is present. It is available when
 * ND4J's CUDA classes are on the class path and an NVIDIA device node exists; it never initialises
 * CUDA just to answer that.
 */
public final class CudaBackend implements Backend {
  private final Path deviceNode;

  public CudaBackend() {
    this(Path.of("/dev/nvidia0"));
  }

  CudaBackend(Path deviceNode) {
    this.deviceNode = deviceNode;
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public String unavailableReason() {
    try {
      Class.forName(
          "org.nd4j.linalg.jcublas.JCublasBackend", false, CudaBackend.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "nd4j-cuda-11.6 is not on the class path (build with -Pcuda)";
    }
    if (!Files.exists(deviceNode)) {
      return "no NVIDIA device found (" + deviceNode + " does not exist)";
    }
    return null;
  }

  /**
   * Also turns off the compiled float kernels, which run on the host: on CUDA every op stays an
   * ND4J op on the device.
   */
  @Override
  public void configure() {
    dev.scanflow.exec.Compilation.setEnabled(false);
    String loaded = Nd4j.getBackend().getClass().getName();
    if (!loaded.contains("jcublas")) {
      throw new IllegalStateException(
          "scanflow backend 'cuda' was requested but ND4J loaded "
              + loaded
              + "; check that nd4j-cuda-11.6-platform and a CUDA 11.6 driver are installed");
    }
  }

  @Override
  public Map<String, Object> describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("backend", env.get("backend"));
    d.put("blas.vendor", env.get("blas.vendor"));
    d.put("cuda.devicesInformation", env.get("cuda.devicesInformation"));
    return d;
  }
}
