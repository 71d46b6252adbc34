package io.cliprec.core.features;

import io.cliprec.core.io.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip of {@code <name>.npy} entries, stored ({@code np.savez}) or
 * deflated ({@code np.savez_compressed}). Entries not ending in {@code .npy} are ignored on read.
 */
public final class Npz {
  private Npz() {}

  /** Arrays by entry name without {@code .npy}, in archive order. */
  public static Map<String, NpyArray> read(Path file) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    try (InputStream fin = Files.newInputStream(file); ZipInputStream zin = new ZipInputStream(fin)) {
      ZipEntry e;
      boolean any = false;
      while ((e = zin.getNextEntry()) != null) {
        any = true;
        String n = e.getName();
        if (e.isDirectory() || !n.endsWith(".npy")) {
          continue;
        }
        String key = n.substring(0, n.length() - 4);
        out.put(key, Npy.parse(zin.readAllBytes(), file.resolve(n)));
      }
      if (!any) {
        throw new DataFormatException(file, 0, null, "not a .npz (zip) file or empty archive");
      }
    } catch (java.util.zip.ZipException e) {
      throw new DataFormatException(file, 0, null, "not a valid .npz (zip) file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /**
   * Writes float32 arrays as {@code <name>.npy} entries, atomically.
   *
   * @param compress deflate entries (like {@code np.savez_compressed}); otherwise stored
   */
  public static void write(Path file, Map<String, NpyArray> arrays, boolean compress) {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (ZipOutputStream zout = new ZipOutputStream(bo)) {
      for (Map.Entry<String, NpyArray> en : arrays.entrySet()) {
        byte[] bytes = Npy.toBytes(en.getValue().shape(), en.getValue().data());
        ZipEntry ze = new ZipEntry(en.getKey() + ".npy");
        if (compress) {
          ze.setMethod(ZipEntry.DEFLATED);
        } else {
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(bytes.length);
          ze.setCompressedSize(bytes.length);
          CRC32 crc = new CRC32();
          crc.update(bytes);
          ze.setCrc(crc.getValue());
        }
        zout.putNextEntry(ze);
        zout.write(bytes);
        zout.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    Npy.writeAtomically(file, bo.toByteArray());
  }
}
