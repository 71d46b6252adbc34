package io.cliprec.serve;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.eval.TopK;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.serve.bundle.Bundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query side of a {@link Bundle}: everything a query needs is computed once here (item factors packed
 * for the top-K kernel; L2-normalised copies of the item factors and of every feature modality, packed
 * too, for cosine similarity), so a query allocates O(k + d + |exclusions|), never items &times; d.
 * Immutable and thread-safe; each query runs the kernel on the calling thread.
 *
 * <h2>Queries</h2>
 * <ul>
 *   <li>{@link #forUser}: {@code score(u, i) = userFactors[u] · itemFactors[i]}, optionally excluding
 *       the items the user interacted with (train + valid + test).
 *   <li>{@link #forSession}: the bundled models are not sequential, so the documented fallback is used:
 *       the query vector is the mean of the session items' factors, scored by dot product against all
 *       items, the session's own items excluded.
 *   <li>{@link #similar}: cosine similarity between the item's vector and every other item's, in one
 *       modality: {@code id} (item factors), any feature modality of the bundle ({@code image},
 *       {@code text}, ...), or {@code fused}: the bundle's {@code fused} features when present, else the
 *       concatenation of the L2-normalised {@code image} and {@code text} rows (scaled by 1/&radic;2, so
 *       the cosine is the mean of the two per-modality cosines). Zero vectors have cosine 0 with all.
 * </ul>
 * Order: higher score first, ties by lower item index (the kernel's order).
 */
public final class ServingIndex {
  /** Modality name for the model's item factors. */
  public static final String ID = "id";
  /** Modality name for the fused image + text view. */
  public static final String FUSED = "fused";

  private final Bundle bundle;
  private final TopK.Prepared items;
  private final Map<String, TopK.Prepared> unit = new LinkedHashMap<>();
  private final int maxK;

  /**
   * @param maxK largest k a query may ask for (&ge; 1)
   */
  public ServingIndex(Bundle bundle, int maxK) {
    if (maxK < 1) {
      throw new IllegalArgumentException("maxK must be >= 1, got " + maxK);
    }
    this.bundle = bundle;
    this.maxK = maxK;
    this.items = TopK.prepare(bundle.itemFactors());
    unit.put(ID, TopK.prepare(normalizedRows(bundle.itemFactors())));
    ItemFeatures f = bundle.features();
    if (f != null) {
      for (String name : f.names()) {
        unit.put(name, TopK.prepare(normalizedRows(f.get(name))));
      }
      if (!f.has(FUSED) && f.has("image") && f.has("text")) {
        unit.put(FUSED, TopK.prepare(fuse(unit.get("image").items(), unit.get("text").items())));
      }
    }
  }

  public Bundle bundle() {
    return bundle;
  }

  public int maxK() {
    return maxK;
  }

  /** Modalities {@link #similar} accepts, {@code id} first. */
  public Set<String> modalities() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(unit.keySet()));
  }

  /**
   * Top-k items for a known user.
   *
   * @throws ApiException 404 for an unknown user id, 400 for a bad k
   */
  public List<Scored> forUser(String userId, int k, boolean excludeSeen) {
    checkK(k);
    int u = bundle.users().index(userId);
    if (u < 0) {
      throw ApiException.notFound("unknown_user", "unknown user id '" + userId + "'");
    }
    CsrMatrix mask = excludeSeen ? bundle.seen() : null;
    int[] top = TopK.topK(bundle.userFactors(), new int[] {u}, items, mask, null,
        Math.min(k, bundle.items().size()), 1)[0];
    float[] ud = bundle.userFactors().data();
    return scored(top, ud, u * bundle.userFactors().cols(), bundle.itemFactors());
  }

  /**
   * Top-k items for an anonymous session (mean-of-item-factors fallback, see class doc).
   *
   * @param itemIds the session's external item ids, oldest first (order is not used by the fallback)
   * @throws ApiException 404 naming unknown item ids, 400 for an empty session or a bad k
   */
  public List<Scored> forSession(List<String> itemIds, int k) {
    checkK(k);
    if (itemIds.isEmpty()) {
      throw ApiException.badRequest("'items' must list at least one item id");
    }
    int[] rows = rowsOf(itemIds);
    FloatMatrix v = bundle.itemFactors();
    int d = v.cols();
    float[] q = new float[d];
    for (int r : rows) {
      for (int c = 0; c < d; c++) {
        q[c] += v.data()[r * d + c];
      }
    }
    for (int c = 0; c < d; c++) {
      q[c] /= rows.length;
    }
    int[] top = TopK.topK(new FloatMatrix(1, d, q), new int[] {0}, items, null, new int[][] {rows},
        Math.min(k, v.rows()), 1)[0];
    return scored(top, q, 0, v);
  }

  /**
   * Top-k most similar other items by cosine in one modality.
   *
   * @throws ApiException 404 for an unknown item id; 400 for a bad k or a modality the bundle lacks
   */
  public List<Scored> similar(String itemId, int k, String modality) {
    checkK(k);
    TopK.Prepared p = unit.get(modality);
    if (p == null) {
      boolean known = ID.equals(modality) || FUSED.equals(modality) || "image".equals(modality)
          || "text".equals(modality);
      String why = bundle.features() == null ? "this bundle has no item features"
          : "this bundle's features are " + bundle.features().names();
      throw new ApiException(400, known ? "modality_unavailable" : "bad_parameter",
          (known ? "modality '" + modality + "' is not available: " + why
              : "unknown modality '" + modality + "'")
              + "; available: " + String.join(", ", unit.keySet()));
    }
    int i = bundle.items().index(itemId);
    if (i < 0) {
      throw ApiException.notFound("unknown_item", "unknown item id '" + itemId + "'");
    }
    FloatMatrix m = p.items();
    int[] top = TopK.topK(m, new int[] {i}, p, null, new int[][] {{i}},
        Math.min(k, m.rows()), 1)[0];
    return scored(top, m.data(), i * m.cols(), m);
  }

  /** Dense item rows of external ids; 404 listing every unknown one. */
  int[] rowsOf(List<String> itemIds) {
    int[] rows = new int[itemIds.size()];
    List<String> unknown = new ArrayList<>();
    for (int j = 0; j < rows.length; j++) {
      rows[j] = bundle.items().index(itemIds.get(j));
      if (rows[j] < 0) {
        unknown.add(itemIds.get(j));
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.notFound("unknown_item", "unknown item id" + (unknown.size() > 1 ? "s " : " ")
          + "'" + String.join("', '", unknown.subList(0, Math.min(10, unknown.size()))) + "'"
          + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
    }
    return rows;
  }

  private void checkK(int k) {
    if (k < 1 || k > maxK) {
      throw new ApiException(400, "bad_parameter", "k must be in [1, " + maxK + "], got " + k);
    }
  }

  /** Scores of the selected items: the same fused multiply-add chain over d as the kernel. */
  private List<Scored> scored(int[] top, float[] q, int qOff, FloatMatrix m) {
    int d = m.cols();
    float[] md = m.data();
    List<Scored> out = new ArrayList<>(top.length);
    for (int item : top) {
      float acc = 0f;
      int off = item * d;
      for (int c = 0; c < d; c++) {
        acc = Math.fma(q[qOff + c], md[off + c], acc);
      }
      out.add(new Scored(bundle.items().id(item), acc));
    }
    return out;
  }

  /** Copy of {@code m} with each row scaled to unit L2 norm (zero rows stay zero). */
  static FloatMatrix normalizedRows(FloatMatrix m) {
    int d = m.cols();
    float[] src = m.data();
    float[] out = Arrays.copyOf(src, src.length);
    for (int r = 0; r < m.rows(); r++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += (double) src[r * d + c] * src[r * d + c];
      }
      if (s > 0) {
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int c = 0; c < d; c++) {
          out[r * d + c] *= inv;
        }
      }
    }
    return new FloatMatrix(m.rows(), d, out);
  }

  /** Row-wise {@code [a, b] / √2} of two unit-row matrices {@code [n, da]}, {@code [n, db]}. */
  static FloatMatrix fuse(FloatMatrix a, FloatMatrix b) {
    int n = a.rows();
    int da = a.cols();
    int db = b.cols();
    float s = (float) (1 / Math.sqrt(2));
    float[] out = new float[n * (da + db)];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < da; c++) {
        out[r * (da + db) + c] = a.data()[r * da + c] * s;
      }
      for (int c = 0; c < db; c++) {
        out[r * (da + db) + da + c] = b.data()[r * db + c] * s;
      }
    }
    return new FloatMatrix(n, da + db, out);
  }
}
