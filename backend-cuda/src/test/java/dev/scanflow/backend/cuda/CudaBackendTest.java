package dev.scanflow.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scanflow.spi.Backends;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CudaBackendTest {
  @Test
  void withoutADeviceItSaysSo() {
    String why = new CudaBackend(Path.of("/nonexistent/nvidia0")).unavailableReason();
    assertTrue(why.contains("no NVIDIA device"), why);
  }

  @Test
  void runsOnTheGpuWhenOneIsPresent() {
    CudaBackend b = new CudaBackend();
    assumeTrue(b.unavailableReason() == null, "no GPU here: " + b.unavailableReason());
    assertEquals("cuda", Backends.choose("cuda", Backends.installed()).name());
  }
}
