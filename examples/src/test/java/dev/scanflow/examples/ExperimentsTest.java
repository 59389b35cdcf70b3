package dev.scanflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentsTest {
  @Test
  void smokeRunWritesAReportAndPlots(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("exp");
    RnnTest.Run r =
        RnnTest.run(
            "experiments",
            "--out",
            out.toString(),
            "--steps",
            "30",
            "--hidden-sizes",
            "8,2",
            "--rates",
            "0.01,10",
            "--rate-hidden",
            "4",
            "--eval",
            "4");
    assertEquals(0, r.code(), r.err());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("## 1. How many hidden units are needed?"), report);
    assertTrue(report.contains("| 8 |") && report.contains("| 2 |"), report);
    assertTrue(report.contains("## 2.") && report.contains("| 0.01 |"), report);
    assertTrue(
        report.contains("## 3.") && report.contains("sine wave") && report.contains("mean +0.5"),
        report);
    for (String plot :
        new String[] {"hidden-size", "learning-rate", "sine", "mean-plus", "mean-minus"}) {
      assertTrue(ImageIO.read(out.resolve(plot + ".png").toFile()).getWidth() > 100, plot);
      assertTrue(Files.exists(out.resolve(plot + ".svg")), plot);
    }
  }

  @Test
  void badFlagsAreRejectedWithoutTouchingTheOutput(@TempDir Path dir) throws IOException {
    Path out = Files.createDirectories(dir.resolve("exp"));
    Path keep = Files.writeString(out.resolve("keep.txt"), "x");
    RnnTest.Run r = RnnTest.run("experiments", "--out", out.toString(), "--steps", "1");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("--steps must be >= 3"), r.err());
    assertTrue(Files.exists(keep));
  }
}
