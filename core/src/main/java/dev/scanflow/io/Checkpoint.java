package dev.scanflow.io;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Variable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Saves and restores variables: one zip file holding one NumPy {@code .npy} per variable (readable
 * with {@code np.load}) and {@code manifest.json} (names, shapes, dtypes, global step, a CRC32 per
 * entry).
 *
 * <p>Saving writes a temporary file in the same directory, forces it to disk and renames it over
 * the target, so a crash or an exception leaves any previous checkpoint intact. Restoring reads and
 * checks everything (checksums, names, shapes, dtypes) before it changes any variable.
 */
public final class Checkpoint {
  /** The manifest's entry name. */
  public static final String MANIFEST = "manifest.json";

  private static final String FORMAT = "scanflow-checkpoint";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoint() {}

  /** Saves every variable of the session's graph with a value. */
  public static void save(Session session, Path file, long globalStep) {
    List<Tensor> vars = new ArrayList<>();
    for (Tensor v : session.graph().variables()) {
      if (session.isInitialized(v)) {
        vars.add(v);
      }
    }
    save(session, file, globalStep, vars);
  }

  /** Saves the listed variables, recording {@code globalStep} in the manifest. */
  public static void save(Session session, Path file, long globalStep, List<Tensor> variables) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("version", 1);
    manifest.put("global_step", globalStep);
    ArrayNode list = manifest.putArray("variables");
    for (Tensor v : variables) {
      String name = nameOf(v);
      INDArray value = session.valueOf(v);
      byte[] npy = Nd4j.toNpyByteArray(value.dup('c'));
      String entry = name + ".npy";
      if (entries.put(entry, npy) != null) {
        throw new CheckpointException("variable " + name + " listed twice for " + file);
      }
      ObjectNode e = list.addObject();
      e.put("name", name);
      e.put("file", entry);
      ArrayNode shape = e.putArray("shape");
      for (long d : value.shape()) {
        shape.add(d);
      }
      e.put("dtype", DType.of(value.dataType()).toString());
      e.put("crc32", crc(npy));
    }
    try {
      writeAtomically(file, manifest, entries);
    } catch (IOException e) {
      throw new CheckpointException("could not save checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path file, ObjectNode manifest, Map<String, byte[]> entries)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream raw = Channels.newOutputStream(ch);
        ZipOutputStream zip = new ZipOutputStream(raw);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
          zip.closeEntry();
        }
        zip.finish();
        zip.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some file systems cannot sync a directory; the rename itself is still atomic
    }
  }

  /** What a checkpoint holds: its global step and each variable's value by full name. */
  public record Contents(long globalStep, Map<String, INDArray> values) {}

  /** Reads and verifies a checkpoint without touching any session. */
  public static Contents read(Path file) {
    Map<String, byte[]> raw = new HashMap<>();
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        zip.transferTo(buf);
        raw.put(e.getName(), buf.toByteArray());
      }
    } catch (IOException e) {
      throw new CheckpointException(
          "checkpoint " + file + " is unreadable (truncated or not a zip): " + e.getMessage(), e);
    }
    byte[] m = raw.get(MANIFEST);
    if (m == null) {
      throw new CheckpointException(
          "checkpoint "
              + file
              + " has no "
              + MANIFEST
              + " (truncated or not a scanflow checkpoint)");
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(m);
    } catch (IOException e) {
      throw new CheckpointException(
          "checkpoint " + file + ": corrupted " + MANIFEST + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(manifest.path("format").asText())) {
      throw new CheckpointException("checkpoint " + file + ": not a scanflow checkpoint");
    }
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (JsonNode e : manifest.path("variables")) {
      String name = e.path("name").asText();
      byte[] npy = raw.get(e.path("file").asText());
      if (npy == null) {
        throw new CheckpointException(
            "checkpoint " + file + ": entry for variable " + name + " is missing");
      }
      if (crc(npy) != e.path("crc32").asLong()) {
        throw new CheckpointException(
            "checkpoint " + file + ": variable " + name + " is corrupted (checksum mismatch)");
      }
      INDArray value = Nd4j.createNpyFromByteArray(npy);
      long[] shape = new long[e.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.path("shape").get(i).asLong();
      }
      if (!Arrays.equals(shape, value.shape())
          || !DType.of(value.dataType()).toString().equals(e.path("dtype").asText())) {
        throw new CheckpointException(
            "checkpoint " + file + ": variable " + name + " does not match its manifest entry");
      }
      values.put(name, value);
    }
    return new Contents(manifest.path("global_step").asLong(), values);
  }

  /** Restores every variable of the session's graph from {@code file}. */
  public static long restore(Session session, Path file) {
    return restore(session, file, session.graph().variables());
  }

  /**
   * Restores the listed variables. Fails, changing nothing, when the file is truncated or
   * corrupted, lacks a variable, or holds one with another shape or dtype. Returns the global step.
   */
  public static long restore(Session session, Path file, List<Tensor> variables) {
    return restore(session, read(file), file.toString(), variables);
  }

  /**
   * Restores the listed variables from contents read earlier with {@link #read} (so a caller can
   * validate a checkpoint before changing anything else). {@code source} names it in errors.
   */
  public static long restore(
      Session session, Contents contents, String source, List<Tensor> variables) {
    Map<Tensor, INDArray> updates = new LinkedHashMap<>();
    for (Tensor v : variables) {
      String name = nameOf(v);
      INDArray value = contents.values().get(name);
      if (value == null) {
        throw new CheckpointException("checkpoint " + source + " has no variable " + name);
      }
      Variable op = (Variable) v.node().op();
      if (op.spec().dtype() != DType.of(value.dataType())
          || !op.spec().shape().accepts(value.shape())) {
        throw new CheckpointException(
            "checkpoint "
                + source
                + ": variable "
                + name
                + " is "
                + DType.of(value.dataType())
                + Shape.format(value.shape())
                + " but the graph expects "
                + op.spec());
      }
      updates.put(v, value);
    }
    updates.forEach(session::setValue);
    return contents.globalStep();
  }

  private static String nameOf(Tensor v) {
    if (!(v.node().op() instanceof Variable op)) {
      throw new CheckpointException(v + " is not a variable");
    }
    return op.fullName();
  }

  private static long crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return c.getValue();
  }
}
