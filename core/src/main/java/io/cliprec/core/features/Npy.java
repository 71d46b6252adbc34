package io.cliprec.core.features;

import io.cliprec.core.io.AtomicFiles;
import io.cliprec.core.io.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} reading and writing (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Read: dtypes float32 ({@code f4}), float64 ({@code f8}), float16 ({@code f2}), int32 ({@code i4})
 * and int64 ({@code i8}), little ({@code <}, {@code =}) or big ({@code >}) endian, all converted to float32;
 * C or Fortran order (Fortran arrays are reordered to C order); any rank (0-D .. n-D). Bad magic, an
 * unsupported dtype, a malformed header or a truncated body raise {@link DataFormatException} naming the
 * file. Write: float32 little-endian C order, version 1.0 (2.0 when the header needs it), header padded
 * to 64 bytes as numpy does, via a temp file in the same directory and an atomic move.
 */
public final class Npy {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
  private static final Pattern FORTRAN =
      Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads a {@code .npy} file. */
  public static NpyArray read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(bytes, file);
  }

  /** Reads a {@code .npy} file as a matrix ({@code [n]} becomes {@code [n, 1]}). */
  public static FloatMatrix readMatrix(Path file) {
    NpyArray a = read(file);
    if (a.ndim() != 1 && a.ndim() != 2) {
      throw new DataFormatException(file, 0, "shape",
          "expected a 1-D or 2-D array, found " + java.util.Arrays.toString(a.shape()));
    }
    return a.toMatrix();
  }

  /** Reads a {@code .npy} stream fully; {@code name} is used in error messages. */
  public static NpyArray read(InputStream in, Path name) throws IOException {
    return parse(in.readAllBytes(), name);
  }

  /** Parses the bytes of a {@code .npy} file. */
  public static NpyArray parse(byte[] b, Path name) {
    if (b.length < 10) {
      throw new DataFormatException(name, 0, null, "not a .npy file: only " + b.length + " bytes");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[i] != MAGIC[i]) {
        throw new DataFormatException(name, 0, null, "not a .npy file: bad magic (expected \\x93NUMPY)");
      }
    }
    int major = b[6] & 0xFF;
    int headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw new DataFormatException(name, 0, null, "truncated .npy header");
      }
      headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      headerStart = 12;
    } else {
      throw new DataFormatException(name, 0, null, "unsupported .npy format version " + major);
    }
    if (headerLen < 0 || headerStart + (long) headerLen > b.length) {
      throw new DataFormatException(name, 0, null,
          "truncated .npy header: needs " + headerLen + " bytes, file has " + (b.length - headerStart));
    }
    String header = new String(b, headerStart, headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name, "descr");
    boolean fortran = "True".equals(group(FORTRAN, header, name, "fortran_order"));
    int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);

    if (descr.length() < 3) {
      throw new DataFormatException(name, 0, "descr", "unsupported dtype '" + descr + "'");
    }
    char order = descr.charAt(0);
    String kind = descr.substring(1);
    ByteOrder bo;
    if (order == '<' || order == '=' || order == '|') {
      bo = ByteOrder.LITTLE_ENDIAN;
    } else if (order == '>') {
      bo = ByteOrder.BIG_ENDIAN;
    } else {
      throw new DataFormatException(name, 0, "descr", "unsupported dtype '" + descr + "'");
    }
    int width;
    switch (kind) {
      case "f2":
        width = 2;
        break;
      case "f4":
      case "i4":
        width = 4;
        break;
      case "f8":
      case "i8":
        width = 8;
        break;
      default:
        throw new DataFormatException(name, 0, "descr", "unsupported dtype '" + descr
            + "' (supported: f2, f4, f8, i4, i8, either endianness)");
    }
    long count = 1;
    for (int s : shape) {
      count *= s;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new DataFormatException(name, 0, "shape", "array too large: " + count + " values");
    }
    int dataStart = headerStart + headerLen;
    long need = count * width;
    if (b.length - (long) dataStart < need) {
      throw new DataFormatException(name, 0, null, "truncated .npy data: shape "
          + java.util.Arrays.toString(shape) + " " + descr + " needs " + need + " bytes, file has "
          + (b.length - dataStart));
    }
    ByteBuffer buf = ByteBuffer.wrap(b, dataStart, (int) need).order(bo);
    int n = (int) count;
    float[] data = new float[n];
    switch (kind) {
      case "f4":
        buf.asFloatBuffer().get(data);
        break;
      case "f8":
        for (int i = 0; i < n; i++) {
          data[i] = (float) buf.getDouble();
        }
        break;
      case "f2":
        for (int i = 0; i < n; i++) {
          data[i] = halfToFloat(buf.getShort());
        }
        break;
      case "i4":
        for (int i = 0; i < n; i++) {
          data[i] = buf.getInt();
        }
        break;
      default:
        for (int i = 0; i < n; i++) {
          data[i] = buf.getLong();
        }
    }
    if (fortran && shape.length > 1) {
      data = fortranToC(data, shape);
    }
    return new NpyArray(shape, data, descr);
  }

  private static String group(Pattern p, String header, Path name, String field) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(name, 0, field, "malformed .npy header: no '" + field + "' in " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, Path name) {
    List<Integer> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.endsWith("L")) {
        t = t.substring(0, t.length() - 1);
      }
      try {
        long v = Long.parseLong(t);
        if (v < 0 || v > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        dims.add((int) v);
      } catch (NumberFormatException e) {
        throw new DataFormatException(name, 0, "shape", "bad dimension '" + t + "' in shape (" + s + ")");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Column-major (first index fastest) &rarr; row-major (last index fastest). */
  static float[] fortranToC(float[] f, int[] shape) {
    int nd = shape.length;
    float[] c = new float[f.length];
    int[] idx = new int[nd];
    // Fortran strides
    long[] fs = new long[nd];
    long acc = 1;
    for (int d = 0; d < nd; d++) {
      fs[d] = acc;
      acc *= shape[d];
    }
    for (int ci = 0; ci < c.length; ci++) {
      long off = 0;
      for (int d = 0; d < nd; d++) {
        off += idx[d] * fs[d];
      }
      c[ci] = f[(int) off];
      for (int d = nd - 1; d >= 0; d--) { // increment C index
        if (++idx[d] < shape[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return c;
  }

  /** IEEE 754 binary16 &rarr; float (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Bytes of a float32 C-order {@code .npy} of the given shape. */
  public static byte[] toBytes(int[] shape, float[] data) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape does not match " + data.length + " values");
    }
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    }
    sh.append(")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
    int version = 1;
    int prefix = 10;
    int total = prefix + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    if (padded - prefix > 0xFFFF) {
      version = 2;
      prefix = 12;
      total = prefix + dict.length() + 1;
      padded = (total + 63) / 64 * 64;
    }
    int headerLen = padded - prefix;
    StringBuilder header = new StringBuilder(dict);
    while (header.length() < headerLen - 1) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer bb = ByteBuffer.allocate(padded + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put(MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) {
      bb.putShort((short) headerLen);
    } else {
      bb.putInt(headerLen);
    }
    bb.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    bb.asFloatBuffer().put(data);
    return bb.array();
  }

  /** Writes a matrix as float32 {@code [rows, cols]} C order, atomically. */
  public static void write(Path file, FloatMatrix m) {
    write(file, new int[] {m.rows(), m.cols()}, m.data());
  }

  /** Writes an array as float32 C order, atomically (temp file in the same directory + move). */
  public static void write(Path file, int[] shape, float[] data) {
    writeAtomically(file, toBytes(shape, data));
  }

  /** Writes to a stream (no atomicity). */
  public static void write(OutputStream out, int[] shape, float[] data) throws IOException {
    out.write(toBytes(shape, data));
  }

  static void writeAtomically(Path file, byte[] bytes) {
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    in.transferTo(bo);
    return bo.toByteArray();
  }
}
