package dev.scanflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scanflow.io.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class RnnTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      return new Run(Main.run(args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void shortRunLearnsAndWritesEverything(@TempDir Path dir) throws IOException {
    Path logdir = dir.resolve("logdir");
    Run r =
        run(
            "rnn",
            "--steps",
            "240",
            "--hidden",
            "32",
            "--lr",
            "0.1",
            "--max-length",
            "12",
            "--plots",
            "2",
            "--seed",
            "7",
            "--logdir",
            logdir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Step 240. Loss EMA:"), r.out());
    JsonNode s = new ObjectMapper().readTree(logdir.resolve("summary.json").toFile());
    for (String key :
        List.of(
            "steps",
            "final_loss_ema",
            "mean_loss_last_15000",
            "seconds",
            "steps_per_second",
            "seed",
            "backend")) {
      assertTrue(s.has(key), "summary.json has " + key);
    }
    assertEquals(240, s.get("steps").asLong());
    assertEquals("cpu", s.get("backend").asText());
    assertTrue(
        s.get("mean_loss_last_15000").asDouble() < 0.5 * s.get("mean_loss_first_window").asDouble(),
        "loss falls: " + s);
    // TensorBoard: version event + 2 scalars per step
    Path events;
    try (Stream<Path> files = Files.list(logdir)) {
      events =
          files
              .filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
              .findFirst()
              .orElseThrow();
    }
    assertEquals(1 + 2 * 240, countRecords(events));
    assertEquals(240, Checkpoint.read(logdir.resolve("ckpt-240.zip")).globalStep());
    for (int i = 1; i <= 2; i++) {
      assertTrue(
          ImageIO.read(logdir.resolve("prediction-" + i + ".png").toFile()).getHeight() > 100);
      assertTrue(Files.readString(logdir.resolve("prediction-" + i + ".svg")).contains("<svg"));
    }
  }

  static int countRecords(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    while (b.hasRemaining()) {
      long len = b.getLong();
      b.position(b.position() + 4 + (int) len + 4);
      n++;
    }
    return n;
  }

  @Test
  void sameSeedSameLosses(@TempDir Path dir) throws IOException {
    JsonNode a = summary(dir.resolve("a"), "3");
    JsonNode b = summary(dir.resolve("b"), "3");
    JsonNode c = summary(dir.resolve("c"), "4");
    assertEquals(a.get("final_loss_ema").asDouble(), b.get("final_loss_ema").asDouble(), 0.0);
    assertEquals(
        a.get("mean_loss_last_15000").asDouble(), b.get("mean_loss_last_15000").asDouble(), 0.0);
    assertNotEquals(
        a.get("mean_loss_last_15000").asDouble(), c.get("mean_loss_last_15000").asDouble());
  }

  static JsonNode summary(Path logdir, String seed) throws IOException {
    Run r =
        run(
            "rnn",
            "--steps",
            "30",
            "--hidden",
            "8",
            "--max-length",
            "8",
            "--plots",
            "0",
            "--seed",
            seed,
            "--logdir",
            logdir.toString());
    assertEquals(0, r.code(), r.err());
    return new ObjectMapper().readTree(logdir.resolve("summary.json").toFile());
  }

  @Test
  void restoreContinuesFromACheckpoint(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("first");
    assertEquals(
        0,
        run(
                "rnn",
                "--steps",
                "20",
                "--hidden",
                "8",
                "--max-length",
                "8",
                "--plots",
                "0",
                "--logdir",
                first.toString())
            .code());
    Path second = dir.resolve("second");
    Run r =
        run(
            "rnn",
            "--steps",
            "10",
            "--hidden",
            "8",
            "--max-length",
            "8",
            "--plots",
            "0",
            "--logdir",
            second.toString(),
            "--restore",
            first.resolve("ckpt-20.zip").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(
        30,
        new ObjectMapper()
            .readTree(second.resolve("summary.json").toFile())
            .get("global_step")
            .asLong());
  }

  @Test
  void badFlagsFailClearlyWithoutTouchingTheLogdir(@TempDir Path dir) throws IOException {
    Path logdir = dir.resolve("logdir");
    Files.createDirectories(logdir);
    Path keep = Files.writeString(logdir.resolve("keep.txt"), "previous run");
    Path broken = Files.write(dir.resolve("broken.zip"), new byte[] {1, 2, 3});
    String[][] bad = {
      {"--steps", "-1"},
      {"--min-length", "50", "--max-length", "10"},
      {"--backend", "tpu"},
      {"--restore", broken.toString()},
      {"--hidden", "0"},
      {"--steps", "many"},
      {"--clip", "0"},
    };
    for (String[] flags : bad) {
      String[] args =
          Stream.concat(Stream.of("rnn", "--logdir", logdir.toString()), Stream.of(flags))
              .toArray(String[]::new);
      Run r = run(args);
      assertNotEquals(0, r.code(), String.join(" ", flags));
      assertTrue(r.err().length() > 10, "explains " + String.join(" ", flags) + ": " + r.err());
      assertTrue(Files.exists(keep), "logdir untouched after " + String.join(" ", flags));
    }
    assertTrue(
        run("rnn", "--logdir", logdir.toString(), "--steps", "-1")
            .err()
            .contains("--steps must be >= 0"));
    assertTrue(
        run("rnn", "--logdir", logdir.toString(), "--backend", "tpu")
            .err()
            .contains("use cpu or cuda"));
    assertTrue(
        run("rnn", "--logdir", logdir.toString(), "--restore", broken.toString())
            .err()
            .contains("broken.zip"));
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : List.of("rnn", "cumsum")) {
      Run r = run(cmd, "--help");
      assertEquals(0, r.code());
      assertTrue(r.out().contains("Usage:"), r.out());
    }
  }
}
