package dev.scanflow.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.spi.Backend;
import dev.scanflow.spi.Backends;
import org.junit.jupiter.api.Test;

class CpuBackendTest {
  @Test
  void isFoundThroughTheServiceLoaderAndChosenByDefault() {
    assertTrue(Backends.installed().stream().anyMatch(b -> b instanceof CpuBackend));
    Backend chosen = Backends.choose(null, Backends.installed());
    assertEquals("cpu", chosen.name());
    assertNull(chosen.unavailableReason());
  }

  @Test
  void configuresOneThreadByDefaultAndReportsBlas() {
    Backend b = Backends.init();
    assertEquals("cpu", b.name());
    assertEquals(1, b.describe().get("blas.threads"));
    assertEquals(1, b.describe().get("omp.threads"));
    assertEquals("OPENBLAS", String.valueOf(b.describe().get("blas.vendor")));
  }

  @Test
  void cudaIsAbsentWithAClearMessage() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> Backends.choose("cuda", Backends.installed()));
    assertTrue(e.getMessage().contains("scanflow-backend-cuda"), e.getMessage());
  }

  @Test
  void threadCountParsing() {
    assertEquals(1, CpuBackend.threads(null, null));
    assertEquals(2, CpuBackend.threads("2", "5"));
    assertEquals(5, CpuBackend.threads(null, "5"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CpuBackend.threads("zero", null));
    assertTrue(e.getMessage().contains("scanflow.cpu.threads"), e.getMessage());
  }

  @Test
  void productThreadCountParsing() {
    assertEquals(Runtime.getRuntime().availableProcessors(), CpuBackend.productThreads(null, null));
    assertEquals(1, CpuBackend.productThreads("1", "4"));
    assertEquals(4, CpuBackend.productThreads(null, "4"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CpuBackend.productThreads("-1", null));
    assertTrue(e.getMessage().contains("scanflow.cpu.productThreads"), e.getMessage());
  }

  @Test
  void vectorSettingParsing() {
    assertTrue(CpuBackend.vectorSetting(null));
    assertTrue(CpuBackend.vectorSetting("TRUE"));
    assertTrue(!CpuBackend.vectorSetting("false"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CpuBackend.vectorSetting("off"));
    assertTrue(e.getMessage().contains("scanflow.cpu.vector"), e.getMessage());
  }
}
