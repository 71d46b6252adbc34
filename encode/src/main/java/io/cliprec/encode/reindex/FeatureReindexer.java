package io.cliprec.encode.reindex;

import io.cliprec.core.data.IdIndex;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import io.cliprec.core.features.NpyArray;
import io.cliprec.core.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an encode output directory's features row-aligned to another item index, optionally exporting
 * text views as modalities of their own.
 *
 * <p>Input: a {@code cliprec encode} output ({@code features.json} with its modalities, {@code item_ids.txt}
 * = external id of each row; for views also {@code text_views.npy} {@code [V, N, D]} and {@code views.txt}).
 * Output modalities, each {@code [items.size(), d]} with row r = target item r:
 * <ul>
 *   <li>every modality of the input ({@code text}, {@code image}, ...), rows permuted;
 *   <li>{@code text.<view>} for each requested view (e.g. {@code text.title}), a copy of that view;
 *   <li>{@code text.<group>} for each requested group, the mean of its views (e.g. {@code text.meta} =
 *       (brand + categories) / 2), so one modality can hold several catalog fields.
 * </ul>
 * Row r takes the input row whose id is {@code idMap(items.id(r))} (the identity without a map). A target
 * item with no input row is an error listing the first such ids: nothing is filled in silently.
 */
public final class FeatureReindexer {
  /** Prefix of exported view modalities. */
  public static final String VIEW_PREFIX = "text.";

  private FeatureReindexer() {}

  /**
   * @param encoded encode output directory
   * @param items the target dataset's item index
   * @param idMap target item id &rarr; input item id ({@code item_ids.txt}); null = same ids
   * @param views views to export as {@code text.<view>} (names from {@code views.txt}); may be empty
   * @param groups group name &rarr; views averaged into {@code text.<group>}; may be empty
   * @return the features, with provenance naming the input, the map size and the exported views
   */
  public static ItemFeatures reindex(Path encoded, IdIndex items, Map<String, String> idMap,
      List<String> views, Map<String, List<String>> groups) {
    ItemFeatures in = ItemFeatures.read(encoded);
    Path idsFile = encoded.resolve("item_ids.txt");
    List<String> ids = lines(idsFile);
    if (ids.size() != in.numItems()) {
      throw new DataFormatException(idsFile, 0, null, ids.size() + " ids for " + in.numItems()
          + " feature rows");
    }
    Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      if (rowOf.putIfAbsent(ids.get(i), i) != null) {
        throw new DataFormatException(idsFile, i + 1, null, "duplicate item id '" + ids.get(i) + "'");
      }
    }
    int n = items.size();
    int[] src = new int[n];
    List<String> absent = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      String target = items.id(r);
      String id = idMap == null ? target : idMap.get(target);
      Integer row = id == null ? null : rowOf.get(id);
      if (row == null) {
        absent.add(target + (id == null ? " (not in the id map)" : " -> " + id));
      }
      src[r] = row == null ? -1 : row;
    }
    if (!absent.isEmpty()) {
      throw new IllegalArgumentException(absent.size() + " of " + n + " dataset items have no row in "
          + encoded + ", first: " + absent.subList(0, Math.min(5, absent.size())));
    }
    Map<String, FloatMatrix> out = new LinkedHashMap<>();
    for (String name : in.names()) {
      out.put(name, gather(in.get(name), src));
    }
    if (!views.isEmpty() || !groups.isEmpty()) {
      Map<String, FloatMatrix> all = readViews(encoded, in.numItems());
      for (String v : views) {
        out.put(VIEW_PREFIX + v, gather(view(all, v, encoded), src));
      }
      for (Map.Entry<String, List<String>> g : groups.entrySet()) {
        if (g.getValue().isEmpty()) {
          throw new IllegalArgumentException("view group '" + g.getKey() + "' names no views");
        }
        List<FloatMatrix> members = new ArrayList<>();
        for (String v : g.getValue()) {
          members.add(view(all, v, encoded));
        }
        out.put(VIEW_PREFIX + g.getKey(), gather(mean(members), src));
      }
    }
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("reindexed_from", encoded.toAbsolutePath().toString());
    prov.put("id_map", idMap == null ? "identity" : idMap.size() + " ids");
    prov.put("views", views);
    prov.put("view_groups", groups);
    prov.put("input_provenance", in.provenance());
    return new ItemFeatures(out, prov);
  }

  /** {@code text_views.npy} split into one {@code [N, D]} matrix per name of {@code views.txt}. */
  static Map<String, FloatMatrix> readViews(Path encoded, int n) {
    Path file = encoded.resolve("text_views.npy");
    Path names = encoded.resolve("views.txt");
    if (!Files.isRegularFile(file) || !Files.isRegularFile(names)) {
      throw new IllegalArgumentException(encoded + " has no text_views.npy + views.txt: views need an "
          + "encode output directory");
    }
    NpyArray a = Npy.read(file);
    List<String> vn = lines(names);
    int[] s = a.shape();
    if (s.length != 3 || s[0] != vn.size() || s[1] != n) {
      throw new DataFormatException(file, 0, "shape", "expected [" + vn.size() + ", " + n + ", D], found "
          + java.util.Arrays.toString(s));
    }
    int d = s[2];
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    for (int k = 0; k < vn.size(); k++) {
      float[] x = new float[n * d];
      System.arraycopy(a.data(), k * n * d, x, 0, n * d);
      m.put(vn.get(k), new FloatMatrix(n, d, x));
    }
    return m;
  }

  private static FloatMatrix view(Map<String, FloatMatrix> all, String v, Path encoded) {
    FloatMatrix m = all.get(v);
    if (m == null) {
      throw new IllegalArgumentException("no view '" + v + "' in " + encoded + " (views: " + all.keySet()
          + ")");
    }
    return m;
  }

  /** Element-wise mean of same-shape matrices. */
  static FloatMatrix mean(List<FloatMatrix> ms) {
    FloatMatrix first = ms.get(0);
    float[] y = new float[first.data().length];
    for (FloatMatrix m : ms) {
      float[] x = m.data();
      for (int k = 0; k < y.length; k++) {
        y[k] += x[k];
      }
    }
    float inv = 1f / ms.size();
    for (int k = 0; k < y.length; k++) {
      y[k] *= inv;
    }
    return new FloatMatrix(first.rows(), first.cols(), y);
  }

  /** Rows {@code src[r]} of {@code m}, in order. */
  private static FloatMatrix gather(FloatMatrix m, int[] src) {
    int d = m.cols();
    float[] y = new float[src.length * d];
    for (int r = 0; r < src.length; r++) {
      System.arraycopy(m.data(), src[r] * d, y, r * d, d);
    }
    return new FloatMatrix(src.length, d, y);
  }

  private static List<String> lines(Path file) {
    try {
      List<String> out = new ArrayList<>();
      for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
