package io.cliprec.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal NumPy {@code .npy} (format 1.0, little-endian, C order) writer and reader for the encoder's
 * outputs: float32 arrays of any rank and uint8 masks. Writes go to a temp file in the target directory and
 * are moved into place atomically. (The foundation's general reader lives in core; this keeps the encode
 * module self-contained.)
 */
public final class NpyFiles {
  private NpyFiles() {}

  /** Writes float32 {@code data} with the given shape (row-major). */
  public static void writeFloat32(Path file, float[] data, long... shape) {
    checkSize(data.length, shape);
    ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(data);
    write(file, "<f4", shape, bb.array());
  }

  /** Writes a uint8 array ({@code 0}/{@code 1} masks) with the given shape. */
  public static void writeUint8(Path file, byte[] data, long... shape) {
    checkSize(data.length, shape);
    write(file, "|u1", shape, data);
  }

  private static void checkSize(long n, long[] shape) {
    long p = 1;
    for (long s : shape) {
      p *= s;
    }
    if (p != n) {
      throw new IllegalArgumentException("shape does not match " + n + " values");
    }
  }

  private static void write(Path file, String descr, long[] shape, byte[] body) {
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sh.append(", ");
      }
    }
    sh.append(')');
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(pad)).append('\n');
    byte[] hb = header.toString().getBytes(StandardCharsets.US_ASCII);
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(hb.length & 0xff);
        out.write((hb.length >>> 8) & 0xff);
        out.write(hb);
        out.write(body);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A float array read from {@code .npy} with its shape (float32 or float64 sources). */
  public static final class Array {
    public final long[] shape;
    public final float[] data;

    Array(long[] shape, float[] data) {
      this.shape = shape;
      this.data = data;
    }
  }

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([a-z])(\\d+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  /** Reads a little-endian C-order float32/float64 {@code .npy} (float64 is narrowed to float32). */
  public static Array readFloat(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N') {
        throw new IllegalArgumentException(file + ": not a .npy file");
      }
      int major = all[6];
      int hlen;
      int off;
      if (major == 1) {
        hlen = (all[8] & 0xff) | ((all[9] & 0xff) << 8);
        off = 10;
      } else {
        hlen = ByteBuffer.wrap(all, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        off = 12;
      }
      String header = new String(all, off, hlen, StandardCharsets.US_ASCII);
      Matcher d = DESCR.matcher(header);
      Matcher s = SHAPE.matcher(header);
      Matcher f = FORTRAN.matcher(header);
      if (!d.find() || !s.find() || !f.find()) {
        throw new IllegalArgumentException(file + ": bad .npy header " + header);
      }
      if (f.group(1).equals("True") || d.group(1).equals(">")) {
        throw new IllegalArgumentException(file + ": only little-endian C-order arrays are supported");
      }
      String[] parts = s.group(1).split(",");
      long[] shape = java.util.Arrays.stream(parts).map(String::trim).filter(x -> !x.isEmpty())
          .mapToLong(Long::parseLong).toArray();
      long n = 1;
      for (long x : shape) {
        n *= x;
      }
      ByteBuffer bb = ByteBuffer.wrap(all, off + hlen, all.length - off - hlen).order(ByteOrder.LITTLE_ENDIAN);
      float[] data = new float[Math.toIntExact(n)];
      String kind = d.group(2) + d.group(3);
      if (kind.equals("f4")) {
        bb.asFloatBuffer().get(data);
      } else if (kind.equals("f8")) {
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) bb.getDouble();
        }
      } else {
        throw new IllegalArgumentException(file + ": dtype " + kind + " is not float32/float64");
      }
      return new Array(shape, data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
