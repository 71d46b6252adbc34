package io.cliprec.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cliprec.core.io.DataFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir
  Path tmp;

  @Test
  void roundTripStoredAndDeflated() {
    Map<String, NpyArray> in = new LinkedHashMap<>();
    in.put("image", new NpyArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, "<f4"));
    in.put("text", new NpyArray(new int[] {2, 2, 1}, new float[] {9, 8, 7, 6}, "<f4"));
    for (boolean compress : new boolean[] {false, true}) {
      Path f = tmp.resolve("a" + compress + ".npz");
      Npz.write(f, in, compress);
      Map<String, NpyArray> out = Npz.read(f);
      assertEquals(List.of("image", "text"), List.copyOf(out.keySet()));
      assertArrayEquals(new int[] {2, 2, 1}, out.get("text").shape());
      assertArrayEquals(in.get("image").data(), out.get("image").data());
    }
  }

  @Test
  void readsHandMadeArchiveAndSkipsOtherEntries() throws Exception {
    ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(-0.25);
    byte[] npy = NpyTest.npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", body.array());
    Path f = tmp.resolve("h.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("README.txt"));
      z.write("hello".getBytes());
      z.closeEntry();
      z.putNextEntry(new ZipEntry("w_feat.npy"));
      z.write(npy);
      z.closeEntry();
    }
    Map<String, NpyArray> out = Npz.read(f);
    assertEquals(List.of("w_feat"), List.copyOf(out.keySet()));
    assertEquals(-0.25f, out.get("w_feat").data()[0]);
  }

  @Test
  void notAZip() throws Exception {
    Path f = tmp.resolve("x.npz");
    Files.write(f, new byte[] {1, 2, 3, 4});
    assertThrows(DataFormatException.class, () -> Npz.read(f));
  }
}
