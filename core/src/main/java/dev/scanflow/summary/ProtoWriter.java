package dev.scanflow.summary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The few protobuf wire encodings an event file needs (varints, fixed64/32, length-delimited). */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter varint(int field, long value) {
    tag(field, 0);
    rawVarint(value);
    return this;
  }

  ProtoWriter fixed64(int field, double value) {
    tag(field, 1);
    rawLittleEndian(Double.doubleToRawLongBits(value), 8);
    return this;
  }

  ProtoWriter fixed32(int field, float value) {
    tag(field, 5);
    rawLittleEndian(Float.floatToRawIntBits(value), 4);
    return this;
  }

  ProtoWriter bytes(int field, byte[] value) {
    tag(field, 2);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  /** A packed repeated double field. */
  ProtoWriter packedDoubles(int field, double[] values) {
    ProtoWriter p = new ProtoWriter();
    for (double v : values) {
      p.rawLittleEndian(Double.doubleToRawLongBits(v), 8);
    }
    return bytes(field, p.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private void rawLittleEndian(long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }
}
