package dev.scanflow.summary;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes TensorBoard event files in pure Java: scalars and histograms. One file per writer, named
 * {@code events.out.tfevents.<unix seconds>.<host>} as TensorBoard expects (a numeric suffix is
 * added if another writer took the name), starting with the {@code brain.Event:2} version event.
 * Each record is framed as {@code uint64 length, masked crc32c(length), data, masked crc32c(data)}.
 * Writes are buffered; call {@link #flush()} to make them visible, {@link #close()} when done.
 * Methods are synchronized, so threads may share a writer.
 */
public final class EventFileWriter implements Closeable, Flushable {
  private final Path file;
  private final OutputStream out;
  private boolean closed;

  /** Creates {@code logdir} if needed and a new event file in it. */
  public EventFileWriter(Path logdir) throws IOException {
    Files.createDirectories(logdir);
    long seconds = System.currentTimeMillis() / 1000;
    String base = String.format("events.out.tfevents.%010d.%s", seconds, hostname());
    Path f = logdir.resolve(base);
    OutputStream o = null;
    for (int n = 1; o == null; n++) {
      try {
        o = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        f = logdir.resolve(base + "." + n);
      }
    }
    this.file = f;
    this.out = new BufferedOutputStream(o, 1 << 16);
    writeEvent(new ProtoWriter().fixed64(1, wallTime()).varint(2, 0).string(3, "brain.Event:2"));
  }

  /** The file this writer appends to. */
  public Path file() {
    return file;
  }

  /** A scalar summary {@code tag = value} at {@code step}. */
  public synchronized void addScalar(String tag, double value, long step) {
    ProtoWriter v = new ProtoWriter().string(1, tag).fixed32(2, (float) value);
    writeSummary(v, step);
  }

  /** A histogram of {@code values} (any shape) at {@code step}, in {@code buckets} equal bins. */
  public synchronized void addHistogram(String tag, INDArray values, long step, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("histogram " + tag + ": need at least one bucket");
    }
    double[] v =
        values.isEmpty()
            ? new double[0]
            : values.castTo(DataType.DOUBLE).dup('c').reshape(values.length()).toDoubleVector();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sumSq = 0;
    for (double x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      sumSq += x * x;
    }
    if (v.length == 0) {
      min = 0;
      max = 0;
    }
    double width = (max - min) / buckets;
    double[] limits = new double[buckets];
    double[] counts = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      limits[i] = i == buckets - 1 ? max : min + width * (i + 1);
    }
    for (double x : v) {
      int b = width > 0 ? (int) Math.min(buckets - 1, Math.floor((x - min) / width)) : buckets - 1;
      counts[b]++;
    }
    ProtoWriter histo =
        new ProtoWriter()
            .fixed64(1, min)
            .fixed64(2, max)
            .fixed64(3, v.length)
            .fixed64(4, sum)
            .fixed64(5, sumSq)
            .packedDoubles(6, limits)
            .packedDoubles(7, counts);
    writeSummary(new ProtoWriter().string(1, tag).message(5, histo), step);
  }

  private void writeSummary(ProtoWriter value, long step) {
    ProtoWriter summary = new ProtoWriter().message(1, value);
    writeEvent(new ProtoWriter().fixed64(1, wallTime()).varint(2, step).message(5, summary));
  }

  private synchronized void writeEvent(ProtoWriter event) {
    if (closed) {
      throw new IllegalStateException("event writer for " + file + " is closed");
    }
    byte[] data = event.toByteArray();
    byte[] header = new byte[8];
    long len = data.length;
    for (int i = 0; i < 8; i++) {
      header[i] = (byte) (len >>> (8 * i));
    }
    try {
      out.write(header);
      writeInt(maskedCrc(header));
      out.write(data);
      writeInt(maskedCrc(data));
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  private void writeInt(int v) throws IOException {
    for (int i = 0; i < 4; i++) {
      out.write((v >>> (8 * i)) & 0xFF);
    }
  }

  /** TensorFlow's masked CRC32C: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
  static int maskedCrc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    int crc = (int) c.getValue();
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  private static double wallTime() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
