package dev.scanflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.io.CheckpointManager;
import dev.scanflow.ops.Ops;
import dev.scanflow.summary.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class TrainingLoopTest {
  @Test
  void runsStepsFetchesMetricsAndCallsListeners(@TempDir Path dir) throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder("x", DType.FLOAT32);
    Tensor w = g.variable("w", Nd4j.scalar(4f));
    Tensor loss = Ops.square(w.sub(x));
    Tensor train = new GradientDescent(g.scalar(0.25, DType.FLOAT32)).minimize(loss);
    List<Long> seen = new ArrayList<>();
    CheckpointManager ckpts = new CheckpointManager(dir.resolve("ckpt"), 5);
    try (Session s = new Session(g);
        EventFileWriter events = new EventFileWriter(dir.resolve("logs"))) {
      s.initializeVariables();
      Map<String, Double> last =
          new TrainingLoop(s, step -> Map.of(x, Nd4j.scalar(0f)))
              .metric("loss", loss)
              .run(train)
              .listener(Listeners.every(2, st -> seen.add(st.step())))
              .listener(Listeners.summaries(events))
              .listener(Listeners.every(3, Listeners.checkpoints(ckpts)))
              .train(5);
      assertEquals(List.of(2L, 4L), seen);
      // w: 4 -> 2 -> 1 -> 0.5 -> 0.25; loss read before step 5's update is 0.25^2
      assertEquals(0.0625, last.get("loss"), 1e-6);
      assertEquals(0.125f, s.valueOf(w).getFloat(0), 1e-6);
      assertTrue(Files.size(events.file()) > 100);
    }
    assertEquals(
        List.of("ckpt-3.zip", "ckpt-5.zip"),
        ckpts.checkpoints().stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void nonScalarMetricsAreRejected() {
    Graph g = new Graph();
    Tensor v = g.placeholder("v", DType.FLOAT32, 3);
    try (Session s = new Session(g)) {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> new TrainingLoop(s, step -> Map.of()).metric("v", v));
      assertTrue(
          e.getMessage().contains("metric v must be a floating-point scalar"), e.getMessage());
    }
  }
}
