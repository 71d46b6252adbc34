package io.cliprec.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.io.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir
  Path tmp;

  /** A .npy built byte by byte: magic, version, header length, header dict padded with spaces + '\n'. */
  static byte[] npy(int major, String dict, byte[] body) {
    int prefix = major == 1 ? 10 : 12;
    StringBuilder h = new StringBuilder(dict);
    while ((prefix + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + hb.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) hb.length);
    } else {
      b.putInt(hb.length);
    }
    b.put(hb).put(body);
    return b.array();
  }

  static Path file(Path dir, String name, byte[] bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  @Test
  void float64FortranOrderIsTransposedToRowMajor() throws Exception {
    // matrix [[1, 2, 3], [4, 5, 6]] stored column by column: 1 4 2 5 3 6
    ByteBuffer body = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
      body.putDouble(v);
    }
    Path f = file(tmp, "f.npy",
        npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", body.array()));
    NpyArray a = Npy.read(f);
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertEquals("<f8", a.dtype());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.data());
    FloatMatrix m = Npy.readMatrix(f);
    assertEquals(6f, m.get(1, 2));
  }

  @Test
  void fortranThreeD() throws Exception {
    // shape (2,2,2), C value at (i,j,k) = 100i + 10j + k; Fortran stores i fastest
    ByteBuffer body = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < 2; j++) {
        for (int i = 0; i < 2; i++) {
          body.putFloat(100 * i + 10 * j + k);
        }
      }
    }
    NpyArray a = Npy.read(file(tmp, "f3.npy",
        npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }", body.array())));
    assertArrayEquals(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, a.data());
  }

  @Test
  void float16LittleAndBigEndian() throws Exception {
    // binary16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, max 65504 = 0x7BFF,
    // smallest subnormal 2^-24 = 0x0001, +inf = 0x7C00
    short[] h = {0x3C00, (short) 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00};
    float[] expect = {1f, -2f, 0.5f, 65504f, (float) Math.pow(2, -24), Float.POSITIVE_INFINITY};
    for (ByteOrder bo : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      ByteBuffer body = ByteBuffer.allocate(12).order(bo);
      for (short s : h) {
        body.putShort(s);
      }
      String d = bo == ByteOrder.LITTLE_ENDIAN ? "<f2" : ">f2";
      NpyArray a = Npy.read(file(tmp, "h.npy",
          npy(1, "{'descr': '" + d + "', 'fortran_order': False, 'shape': (2, 3), }", body.array())));
      assertArrayEquals(expect, a.data(), d);
    }
    assertTrue(Float.isNaN(Npy.halfToFloat((short) 0x7E00)));
  }

  @Test
  void bigEndianFloatAndIntegers() throws Exception {
    ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-3f);
    assertArrayEquals(new float[] {1.5f, -3f}, Npy.read(file(tmp, "b.npy",
        npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4.array()))).data());
    ByteBuffer i4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-2);
    assertArrayEquals(new float[] {7, -2}, Npy.read(file(tmp, "i.npy",
        npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", i4.array()))).data());
    ByteBuffer i8 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(1L << 40).putLong(3);
    NpyArray a = Npy.read(file(tmp, "l.npy",
        npy(1, "{'descr': '>i8', 'fortran_order': False, 'shape': (2, 1), }", i8.array())));
    assertArrayEquals(new float[] {(float) (1L << 40), 3f}, a.data());
    assertEquals(1, a.toMatrix().cols());
  }

  @Test
  void versionTwoAndThreeHeaders() throws Exception {
    ByteBuffer body = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.25f);
    for (int v : new int[] {2, 3}) {
      NpyArray a = Npy.read(file(tmp, "v.npy",
          npy(v, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", body.array())));
      assertEquals(2.25f, a.data()[0]);
    }
  }

  @Test
  void roundTripWritesNumpyLayout() throws Exception {
    float[] data = new float[3 * 4 * 5];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f - 7;
    }
    Path f = tmp.resolve("sub/x.npy");
    Npy.write(f, new int[] {3, 4, 5}, data);
    byte[] b = Files.readAllBytes(f);
    int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    assertEquals(0, (10 + headerLen) % 64); // numpy aligns the data to 64 bytes
    assertEquals('\n', b[10 + headerLen - 1]);
    String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }"), header);
    NpyArray a = Npy.read(f);
    assertArrayEquals(new int[] {3, 4, 5}, a.shape());
    assertArrayEquals(data, a.data());
    // 1-D shape is written "(n,)"
    Npy.write(f, new int[] {2}, new float[] {1, 2});
    assertTrue(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("'shape': (2,)"));
    FloatMatrix m = new FloatMatrix(2, 2, new float[] {1, 2, 3, 4});
    Npy.write(f, m);
    assertArrayEquals(m.data(), Npy.readMatrix(f).data());
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count()); // no temp files left behind
    }
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    Npy.write(bo, new int[] {1}, new float[] {9});
    assertEquals(9f, Npy.parse(bo.toByteArray(), Path.of("mem")).data()[0]);
  }

  @Test
  void badInputNamesTheFile() throws Exception {
    Path bad = file(tmp, "bad.npy", "PK not numpy at all".getBytes(StandardCharsets.US_ASCII));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(bad));
    assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("magic"), e.getMessage());

    Path complex = file(tmp, "c.npy",
        npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    e = assertThrows(DataFormatException.class, () -> Npy.read(complex));
    assertTrue(e.getMessage().contains("c.npy") && e.getMessage().contains("<c8"), e.getMessage());

    Path trunc = file(tmp, "t.npy",
        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (10, 2), }", new byte[79]));
    e = assertThrows(DataFormatException.class, () -> Npy.read(trunc));
    assertTrue(e.getMessage().contains("t.npy") && e.getMessage().contains("truncated"), e.getMessage());

    Path shape = file(tmp, "s.npy",
        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (x, 2), }", new byte[8]));
    e = assertThrows(DataFormatException.class, () -> Npy.read(shape));
    assertEquals("shape", e.field());

    Path three = file(tmp, "3.npy",
        npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }", new byte[4]));
    assertThrows(DataFormatException.class, () -> Npy.readMatrix(three));
  }

  static Path data(String rel) {
    Path root = Path.of(System.getProperty("cliprec.data", "../shared/data"));
    Assumptions.assumeTrue(Files.isDirectory(root), root + " (../shared/data) absent: skipping");
    Path f = root.resolve(rel);
    Assumptions.assumeTrue(Files.isRegularFile(f), f + " absent: skipping");
    return f;
  }

  @Test
  void realFloat32Features() {
    NpyArray a = Npy.read(data("amazon-scientific/image_feat.npy"));
    assertArrayEquals(new int[] {1585, 512}, a.shape());
    assertEquals("<f4", a.dtype());
    for (float v : a.data()) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void realFloat64Features() {
    NpyArray a = Npy.read(data("lastfm-2k/vggish.npy"));
    assertArrayEquals(new int[] {1425, 128}, a.shape());
    assertEquals("<f8", a.dtype());
    double norm = 0;
    for (float v : a.data()) {
      assertTrue(Float.isFinite(v));
      norm += v * v;
    }
    assertTrue(norm > 0);
  }
}
