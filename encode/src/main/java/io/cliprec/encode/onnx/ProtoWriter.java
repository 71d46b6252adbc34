package io.cliprec.encode.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Minimal protocol-buffers wire-format writer (varints, length-delimited fields, packed arrays). */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private void tag(int field, int wire) {
    varint(((long) field << 3) | wire);
  }

  ProtoWriter int64(int field, long v) {
    tag(field, 0);
    varint(v);
    return this;
  }

  ProtoWriter float32(int field, float v) {
    tag(field, 5);
    int b = Float.floatToIntBits(v);
    for (int i = 0; i < 4; i++) {
      out.write((b >>> (8 * i)) & 0xff);
    }
    return this;
  }

  ProtoWriter bytes(int field, byte[] b) {
    tag(field, 2);
    varint(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  ProtoWriter string(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, ProtoWriter m) {
    return bytes(field, m.toByteArray());
  }

  ProtoWriter packedInt64(int field, long[] vs) {
    ProtoWriter p = new ProtoWriter();
    for (long v : vs) {
      p.varint(v);
    }
    return bytes(field, p.toByteArray());
  }

  static byte[] floatsLittleEndian(float[] vs) {
    ByteBuffer bb = ByteBuffer.allocate(vs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(vs);
    return bb.array();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
