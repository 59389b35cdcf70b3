package dev.scanflow.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {
  record Fake(String name, int priority, String unavailableReason) implements Backend {
    @Override
    public void configure() {}

    @Override
    public Map<String, Object> describe() {
      return Map.of();
    }
  }

  @Test
  void picksTheBestAvailableBackend() {
    Backend cpu = new Fake("cpu", 10, null);
    Backend cuda = new Fake("cuda", 20, "no CUDA device found");
    assertEquals(cpu, Backends.choose(null, List.of(cuda, cpu)));
    assertEquals("cuda", Backends.choose(null, List.of(new Fake("cuda", 20, null), cpu)).name());
  }

  @Test
  void requestingAnAbsentBackendSaysWhatToAdd() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Backends.choose("cuda", List.of(new Fake("cpu", 10, null))));
    assertTrue(
        e.getMessage().contains("scanflow-backend-cuda") && e.getMessage().contains("-Pcuda"),
        e.getMessage());
  }

  @Test
  void requestingABackendWithoutADeviceSaysWhy() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Backends.choose("cuda", List.of(new Fake("cuda", 20, "no CUDA device found"))));
    assertTrue(e.getMessage().contains("no CUDA device found"), e.getMessage());
  }

  @Test
  void unknownNamesAndEmptyClassPathsAreExplained() {
    IllegalStateException unknown =
        assertThrows(IllegalStateException.class, () -> Backends.choose("tpu", List.of()));
    assertTrue(unknown.getMessage().contains("use cpu or cuda"), unknown.getMessage());
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> Backends.choose(null, List.of()));
    assertTrue(none.getMessage().contains("scanflow-backend-cpu"), none.getMessage());
  }
}
