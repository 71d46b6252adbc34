package io.cliprec.serve.bundle;

import io.cliprec.core.io.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-dimensional little-endian int32 {@code .npy} files ({@code '<i4'}, C order, format version 1.0),
 * exact for every int (core's {@code Npy} reads into float32, which is exact only below 2^24).
 */
final class IntNpy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(\\s*(\\d+)\\s*,?\\s*\\)");

  private IntNpy() {}

  /** Bytes of a {@code [n]} int32 array. */
  static byte[] toBytes(int[] a) {
    String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + a.length + ",), }";
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    int headerLen = padded - 10;
    StringBuilder h = new StringBuilder(dict);
    while (h.length() < headerLen - 1) {
      h.append(' ');
    }
    h.append('\n');
    ByteBuffer bb = ByteBuffer.allocate(padded + 4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
    bb.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    bb.asIntBuffer().put(a);
    return bb.array();
  }

  static void write(Path file, int[] a) throws IOException {
    Files.write(file, toBytes(a));
  }

  /** Reads a file written by {@link #write} (1-D {@code <i4}, version 1.0); anything else is an error. */
  static int[] read(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (b.length < 10) {
      throw new DataFormatException(file, 0, null, "not a .npy file: only " + b.length + " bytes");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[i] != MAGIC[i]) {
        throw new DataFormatException(file, 0, null, "not a .npy file: bad magic");
      }
    }
    if (b[6] != 1) {
      throw new DataFormatException(file, 0, null, "unsupported .npy version " + b[6] + " (want 1.0)");
    }
    int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    if (10 + headerLen > b.length) {
      throw new DataFormatException(file, 0, null, "truncated .npy header");
    }
    String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
    if (!header.contains("'<i4'") || !header.contains("False")) {
      throw new DataFormatException(file, 0, "descr", "expected a C-order little-endian int32 array: "
          + header.trim());
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(file, 0, "shape", "expected a 1-D shape: " + header.trim());
    }
    long n = Long.parseLong(m.group(1));
    long need = 10L + headerLen + 4 * n;
    if (n > Integer.MAX_VALUE - 8 || b.length < need) {
      throw new DataFormatException(file, 0, null, "truncated .npy data: shape (" + n + ",) needs "
          + need + " bytes, file has " + b.length);
    }
    int[] a = new int[(int) n];
    ByteBuffer.wrap(b, 10 + headerLen, 4 * (int) n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(a);
    return a;
  }
}
