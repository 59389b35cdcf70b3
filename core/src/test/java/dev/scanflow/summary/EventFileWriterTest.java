package dev.scanflow.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** Decodes written event files with protobuf-java's wire reader and checks every CRC. */
class EventFileWriterTest {
  /** One decoded event. */
  record Event(
      double wallTime,
      long step,
      String fileVersion,
      String tag,
      Float simpleValue,
      double[] histo,
      double[] limits,
      double[] counts) {}

  static int masked(byte[] data, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(data, off, len);
    int crc = (int) c.getValue();
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  static List<Event> read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      int start = b.position();
      long len = b.getLong();
      assertEquals(masked(all, start, 8), b.getInt(), "length CRC of record " + events.size());
      int dataStart = b.position();
      b.position(dataStart + (int) len);
      assertEquals(
          masked(all, dataStart, (int) len), b.getInt(), "data CRC of record " + events.size());
      events.add(decode(CodedInputStream.newInstance(all, dataStart, (int) len)));
    }
    return events;
  }

  static Event decode(CodedInputStream in) throws IOException {
    double wall = 0;
    long step = 0;
    String version = null;
    String tag = null;
    Float simple = null;
    double[] histo = null;
    double[] limits = null;
    double[] counts = null;
    for (int t; (t = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> wall = in.readDouble();
        case 2 -> step = in.readInt64();
        case 3 -> version = in.readString();
        case 5 -> {
          CodedInputStream summary = CodedInputStream.newInstance(in.readByteArray());
          for (int st; (st = summary.readTag()) != 0; ) {
            assertEquals(1, WireFormat.getTagFieldNumber(st), "Summary.value");
            CodedInputStream value = CodedInputStream.newInstance(summary.readByteArray());
            for (int vt; (vt = value.readTag()) != 0; ) {
              switch (WireFormat.getTagFieldNumber(vt)) {
                case 1 -> tag = value.readString();
                case 2 -> simple = value.readFloat();
                case 5 -> {
                  CodedInputStream h = CodedInputStream.newInstance(value.readByteArray());
                  histo = new double[5];
                  for (int ht; (ht = h.readTag()) != 0; ) {
                    int f = WireFormat.getTagFieldNumber(ht);
                    if (f <= 5) {
                      histo[f - 1] = h.readDouble();
                    } else {
                      byte[] packed = h.readByteArray();
                      double[] d = new double[packed.length / 8];
                      ByteBuffer.wrap(packed)
                          .order(ByteOrder.LITTLE_ENDIAN)
                          .asDoubleBuffer()
                          .get(d);
                      if (f == 6) {
                        limits = d;
                      } else {
                        counts = d;
                      }
                    }
                  }
                }
                default -> value.skipField(vt);
              }
            }
          }
        }
        default -> in.skipField(t);
      }
    }
    return new Event(wall, step, version, tag, simple, histo, limits, counts);
  }

  @Test
  void writesVersionEventThenScalarsWithValidFraming(@TempDir Path dir) throws IOException {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir)) {
      file = w.file();
      w.addScalar("loss", 0.5, 0);
      w.addScalar("loss_ema", 0.25, 0);
      w.addScalar("loss", 1.5, 7);
    }
    assertTrue(
        file.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\..+"),
        file.toString());
    List<Event> events = read(file);
    assertEquals(4, events.size());
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertTrue(events.get(0).wallTime() > 1.6e9);
    assertEquals("loss", events.get(1).tag());
    assertEquals(0.5f, events.get(1).simpleValue());
    assertEquals(0, events.get(1).step());
    assertEquals("loss_ema", events.get(2).tag());
    assertEquals(0.25f, events.get(2).simpleValue());
    assertEquals(7, events.get(3).step());
    assertEquals(1.5f, events.get(3).simpleValue());
  }

  @Test
  void histogramsCarryStatisticsAndBuckets(@TempDir Path dir) throws IOException {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir)) {
      file = w.file();
      w.addHistogram("weights", Nd4j.createFromArray(new double[][] {{0, 1}, {2, 3}}), 3, 3);
    }
    Event h = read(file).get(1);
    assertEquals("weights", h.tag());
    assertEquals(3, h.step());
    assertArrayEquals(new double[] {0, 3, 4, 6, 14}, h.histo(), 1e-12);
    assertArrayEquals(new double[] {1, 2, 3}, h.limits(), 1e-12);
    assertEquals(4, Arrays.stream(h.counts()).sum(), 1e-12);
  }

  @Test
  void twoWritersInOneDirectoryGetTheirOwnFiles(@TempDir Path dir) throws IOException {
    try (EventFileWriter a = new EventFileWriter(dir);
        EventFileWriter b = new EventFileWriter(dir)) {
      assertNotEquals(a.file(), b.file());
      a.addScalar("x", 1, 1);
      b.addScalar("x", 2, 1);
      a.flush();
      b.flush();
      assertEquals(2, read(a.file()).size());
      assertEquals(2, read(b.file()).size());
    }
  }

  @Test
  void closedWriterRefusesEvents(@TempDir Path dir) throws IOException {
    EventFileWriter w = new EventFileWriter(dir);
    w.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> w.addScalar("x", 1, 1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
