package io.cliprec.models.train;

import io.cliprec.core.features.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal NumPy {@code .npy} v1.0 I/O for 2-D little-endian float32 ({@code <f4}) C-order arrays. */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d*)\\)");

  private Npy() {}

  /** Writes {@code m} to {@code file} atomically (temp file in the same directory, then move). */
  public static void write(Path file, FloatMatrix m) throws IOException {
    write(file, m.rows(), m.cols(), m.data());
  }

  /** Writes {@code data} as a {@code [rows, cols]} float32 array, atomically. */
  public static void write(Path file, int rows, int cols, float[] data) throws IOException {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException("shape does not match data length");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    int unpadded = MAGIC.length + 4 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(pad)).append('\n');
    byte[] hb = header.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + hb.length).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb).flip();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(head);
      ByteBuffer body = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      int k = 0;
      while (k < data.length) {
        body.clear();
        int n = Math.min(data.length - k, body.capacity() / 4);
        body.asFloatBuffer().put(data, k, n);
        body.limit(n * 4);
        while (body.hasRemaining()) {
          ch.write(body);
        }
        k += n;
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    moveAtomically(tmp, file);
  }

  /** Reads a 2-D float32 array (a 1-D array of length n reads as {@code [n, 1]}). */
  public static FloatMatrix read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.get() != m) {
        throw new IOException(file + ": not a .npy file");
      }
    }
    int major = b.get();
    b.get();
    int hlen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    String header = new String(all, b.position(), hlen, StandardCharsets.US_ASCII);
    b.position(b.position() + hlen);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
      throw new IOException(file + ": expected little-endian float32 C-order array, header " + header);
    }
    Matcher mt = SHAPE.matcher(header);
    if (!mt.find()) {
      throw new IOException(file + ": expected a 2-D or 1-D shape, header " + header);
    }
    int rows = Integer.parseInt(mt.group(1));
    int cols = mt.group(2).isEmpty() ? 1 : Integer.parseInt(mt.group(2));
    long n = (long) rows * cols;
    if (b.remaining() != n * 4) {
      throw new IOException(file + ": expected " + n * 4 + " data bytes, found " + b.remaining());
    }
    float[] data = new float[(int) n];
    b.asFloatBuffer().get(data);
    return new FloatMatrix(rows, cols, data);
  }

  /** Moves {@code tmp} over {@code target} atomically (falls back to a plain replace if unsupported). */
  public static void moveAtomically(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code bytes} to {@code file} atomically. */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    moveAtomically(tmp, file);
  }
}
