package io.cliprec.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an encode output directory, every file via a temp file in the same directory and an atomic move:
 *
 * <ul>
 *   <li>{@code text_feat.npy} float32 {@code [N, Dt]} fused text; {@code image_feat.npy} float32
 *       {@code [N, D]} (CLIP only) &mdash; with {@code features.json} these form an ItemFeatures directory
 *       that MMRec reads as is;
 *   <li>{@code text_views.npy} float32 {@code [V, N, D]}; {@code sim.npy} float32 {@code [N, V]} (shared
 *       CLIP space only);
 *   <li>{@code image_present.npy} / {@code catalog_present.npy} float32 {@code [N]} 0/1 masks;
 *   <li>{@code item_ids.txt}: external id of each row, one per line; {@code views.txt}: view names in order;
 *   <li>{@code problems.tsv}: {@code row, id, what, message} for every per-item issue;
 *   <li>{@code manifest.json}: provenance, settings, counts, timings, similarity statistics.
 * </ul>
 */
public final class EncodeWriter {
  private EncodeWriter() {}

  static void write(Path out, EncodeResult r, List<EncodePipeline.Problem> problems) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
    int n = r.numItems();
    Map<String, FloatMatrix> mods = new LinkedHashMap<>();
    if (r.image != null) {
      mods.put("image", new FloatMatrix(n, r.imageDim, r.image));
    }
    mods.put("text", new FloatMatrix(n, r.textDim, r.text));
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("encoder", "cliprec-encode");
    prov.put("text_encoder", ((Map<?, ?>) r.manifest.get("text_encoder")).get("name"));
    prov.put("text_sha256", ((Map<?, ?>) r.manifest.get("text_encoder")).get("sha256"));
    if (r.manifest.containsKey("clip")) {
      prov.put("clip_sha256", ((Map<?, ?>) r.manifest.get("clip")).get("sha256"));
    }
    prov.put("views", r.viewNames);
    prov.put("fusion", r.manifest.get("fusion"));
    prov.put("tau", r.manifest.get("tau"));
    prov.put("catalog", r.manifest.get("catalog"));
    if (r.manifest.containsKey("dataset")) {
      prov.put("data_hash", ((Map<?, ?>) r.manifest.get("dataset")).get("content_hash"));
    }
    prov.put("manifest", "manifest.json");
    new ItemFeatures(mods, prov).write(out);
    Npy.write(out.resolve("text_views.npy"), new int[] {r.numViews(), n, r.viewDim}, r.textViews);
    if (r.sim != null) {
      Npy.write(out.resolve("sim.npy"), new int[] {n, r.numViews()}, r.sim);
    }
    if (r.imagePresent != null) {
      Npy.write(out.resolve("image_present.npy"), new int[] {n}, mask(r.imagePresent));
    }
    Npy.write(out.resolve("catalog_present.npy"), new int[] {n}, mask(r.catalogPresent));
    writeText(out.resolve("item_ids.txt"), String.join("\n", r.ids) + "\n");
    writeText(out.resolve("views.txt"), String.join("\n", r.viewNames) + "\n");
    StringBuilder sb = new StringBuilder("row\tid\twhat\tmessage\n");
    for (EncodePipeline.Problem p : problems) {
      sb.append(p.row).append('\t').append(p.id).append('\t').append(p.what).append('\t')
          .append(p.message.replace('\t', ' ').replace('\n', ' ')).append('\n');
    }
    writeText(out.resolve("problems.tsv"), sb.toString());
    try {
      byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(r.manifest);
      writeBytes(out.resolve("manifest.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    readableByAll(out);
  }

  /** Temp files are created owner-only; outputs are ordinary files (rw-r--r--) where POSIX applies. */
  private static void readableByAll(Path out) {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    for (String f : new String[] {"text_feat.npy", "image_feat.npy", "features.json", "text_views.npy", "sim.npy",
        "image_present.npy", "catalog_present.npy", "item_ids.txt", "views.txt", "problems.tsv", "manifest.json"}) {
      Path p = out.resolve(f);
      try {
        if (Files.isRegularFile(p)) {
          Files.setPosixFilePermissions(p, perms);
        }
      } catch (UnsupportedOperationException | IOException e) {
        return; // not a POSIX file system: leave the defaults
      }
    }
  }

  private static float[] mask(boolean[] b) {
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      f[i] = b[i] ? 1f : 0f;
    }
    return f;
  }

  static void writeText(Path file, String s) {
    writeBytes(file, s.getBytes(StandardCharsets.UTF_8));
  }

  static void writeBytes(Path file, byte[] bytes) {
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
