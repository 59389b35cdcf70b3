package dev.scanflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.train.Adam;
import dev.scanflow.train.GlobalStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
  /** A model with Adam slots; trained a few steps. */
  static Graph model() {
    Graph g = new Graph().setSeed(5);
    Tensor w = g.getVariable("w", new long[] {3, 2}, Initializer.uniform(-1, 1));
    Tensor b = g.getVariable("b", new long[] {2}, DType.FLOAT64, Initializer.constant(0.5));
    Tensor loss =
        Ops.reduceSum(Ops.square(w), false).add(Ops.reduceSum(Ops.cast(b, DType.FLOAT32), false));
    new Adam(g.scalar(0.1, DType.FLOAT32)).minimize(loss);
    return g;
  }

  static Tensor trainOp(Graph g) {
    return g.root().nodes().stream()
        .filter(n -> n.op() instanceof dev.scanflow.ops.Group)
        .findFirst()
        .orElseThrow()
        .output();
  }

  @Test
  void roundTripIsBitForBitIncludingSlotsAndStep(@TempDir Path dir) {
    Graph g = model();
    Path file = dir.resolve("ckpt.zip");
    try (Session s = new Session(g)) {
      s.initializeVariables();
      for (int i = 0; i < 3; i++) {
        s.run(trainOp(g));
      }
      Checkpoint.save(s, file, 3);
      try (Session fresh = new Session(g)) {
        fresh.initializeVariables();
        assertEquals(3, Checkpoint.restore(fresh, file));
        for (Tensor v : g.variables()) {
          assertEquals(s.valueOf(v), fresh.valueOf(v), "variable " + v);
        }
        assertEquals(3L, fresh.valueOf(GlobalStep.of(g)).getLong(0));
      }
    }
    assertTrue(g.variables().size() >= 7, "w, b, 4 Adam slots, 2 beta powers, global step");
  }

  @Test
  void entriesAreNumpyFilesAndAManifest(@TempDir Path dir) throws IOException {
    Graph g = model();
    Path file = dir.resolve("ckpt.zip");
    try (Session s = new Session(g)) {
      s.initializeVariables();
      Checkpoint.save(s, file, 0);
    }
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      ZipEntry first = zip.getNextEntry();
      assertEquals("manifest.json", first.getName());
      String manifest = new String(zip.readAllBytes());
      assertTrue(
          manifest.contains("\"name\" : \"w\"")
              && manifest.contains("\"dtype\" : \"float64\"")
              && manifest.contains("crc32"),
          manifest);
      ZipEntry w = zip.getNextEntry();
      assertEquals("w.npy", w.getName());
      byte[] npy = zip.readAllBytes();
      assertEquals(
          "\u0093NUMPY", new String(npy, 0, 6, java.nio.charset.StandardCharsets.ISO_8859_1));
      assertTrue(new String(npy, 0, 80).contains("'shape': (3, 2)"));
    }
  }

  @Test
  void aFailedSaveLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws IOException {
    Graph g = model();
    Path file = dir.resolve("ckpt.zip");
    try (Session s = new Session(g)) {
      s.initializeVariables();
      Checkpoint.save(s, file, 1);
      byte[] before = Files.readAllBytes(file);
      Tensor notAVariable = g.constant(1f);
      assertThrows(
          CheckpointException.class,
          () -> Checkpoint.save(s, file, 2, List.of(g.variables().get(0), notAVariable)));
      assertArrayEquals(before, Files.readAllBytes(file));
      try (var files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
      }
    }
  }

  @Test
  void truncatedOrCorruptedFilesFailAndChangeNothing(@TempDir Path dir) throws IOException {
    Graph g = model();
    Path file = dir.resolve("ckpt.zip");
    try (Session s = new Session(g)) {
      s.initializeVariables();
      Checkpoint.save(s, file, 1);
      byte[] bytes = Files.readAllBytes(file);
      Tensor w = g.variableNamed("w");
      INDArray wBefore = s.valueOf(w);
      s.setValue(w, Nd4j.zeros(DataType.FLOAT, 3, 2));

      Path truncated = dir.resolve("truncated.zip");
      Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
      CheckpointException t =
          assertThrows(CheckpointException.class, () -> Checkpoint.restore(s, truncated));
      assertTrue(t.getMessage().contains("truncated.zip"), t.getMessage());

      Path corrupted = dir.resolve("corrupted.zip");
      byte[] bad = corruptNpyPayload(bytes);
      Files.write(corrupted, bad);
      CheckpointException c =
          assertThrows(CheckpointException.class, () -> Checkpoint.restore(s, corrupted));
      assertTrue(
          c.getMessage().contains("corrupted") || c.getMessage().contains("unreadable"),
          c.getMessage());

      assertEquals(Nd4j.zeros(DataType.FLOAT, 3, 2), s.valueOf(w), "nothing restored");
      Checkpoint.restore(s, file);
      assertEquals(wBefore, s.valueOf(w));
    }
  }

  /** Flips a byte inside the stored (uncompressed-size-preserving) data of the checkpoint. */
  static byte[] corruptNpyPayload(byte[] zipBytes) throws IOException {
    // rewrite the zip with one flipped byte in w.npy's data but the manifest's old checksum
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zipBytes));
        java.util.zip.ZipOutputStream zo = new java.util.zip.ZipOutputStream(out)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] data = in.readAllBytes();
        if (e.getName().equals("w.npy")) {
          data[data.length - 1] ^= 0x55;
        }
        zo.putNextEntry(new ZipEntry(e.getName()));
        zo.write(data);
        zo.closeEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void missingVariablesAndMismatchesAreNamed(@TempDir Path dir) {
    Graph small = new Graph();
    Tensor w = small.getVariable("w", new long[] {3, 2}, Initializer.zeros());
    Path file = dir.resolve("small.zip");
    try (Session s = new Session(small)) {
      s.initializeVariables();
      Checkpoint.save(s, file, 0);
    }
    Graph g = model();
    try (Session s = new Session(g)) {
      s.initializeVariables();
      INDArray before = s.valueOf(g.variableNamed("w"));
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> Checkpoint.restore(s, file));
      assertTrue(e.getMessage().contains("has no variable b"), e.getMessage());
      assertEquals(before, s.valueOf(g.variableNamed("w")), "w untouched although it was present");
    }
    Graph other = new Graph();
    other.getVariable("w", new long[] {2, 3}, Initializer.zeros());
    try (Session s = new Session(other)) {
      s.initializeVariables();
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> Checkpoint.restore(s, file));
      assertTrue(
          e.getMessage().contains("variable w is float32[3,2] but the graph expects float32[2,3]"),
          e.getMessage());
    }
    assertEquals("w", w.name());
  }

  @Test
  void managerKeepsTheNewestN(@TempDir Path dir) {
    Graph g = model();
    CheckpointManager m = new CheckpointManager(dir.resolve("ckpts"), 2);
    assertTrue(m.latest().isEmpty());
    try (Session s = new Session(g)) {
      s.initializeVariables();
      for (long step : new long[] {5, 10, 100}) {
        m.save(s, step);
      }
    }
    assertEquals(
        List.of("ckpt-10.zip", "ckpt-100.zip"),
        m.checkpoints().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals("ckpt-100.zip", m.latest().orElseThrow().getFileName().toString());
  }
}
