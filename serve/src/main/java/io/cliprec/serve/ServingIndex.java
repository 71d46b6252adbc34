package io.cliprec.serve;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.eval.TopK;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.SessionEncoder;
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
 * too, for cosine similarity), so a query allocates O(k + d + |exclusions|) (a session through a
 * sequential encoder adds O(L &middot; (d + inner)) scratch for its forward pass), never items &times; d.
 * Immutable and thread-safe; each query runs the kernel on the calling thread.
 *
 * <h2>Queries</h2>
 * <ul>
 *   <li>{@link #forUser}: {@code score(u, i) = userFactors[u] · itemFactors[i]}, optionally excluding
 *       the items the user interacted with (train + valid + test).
 *   <li>{@link #forSession}: with a sequential model's {@link SessionEncoder} in the bundle (SASRec), the
 *       query vector is the network's encoding of the session (its last {@code maxLength()} items, oldest
 *       first), scored by dot product against all items exactly as the model scores a user's history;
 *       otherwise the documented fallback: the mean of the session items' factors. The session's items
 *       are excluded unless {@code excludeSeen} is false.
 *   <li>{@link #similar}: cosine similarity between the item's vector and every other item's, in one
 *       modality: {@code id} (item factors), any feature modality of the bundle ({@code image},
 *       {@code text}, ...), or {@code fused}: the bundle's {@code fused} features when present, else the
 *       concatenation of the L2-normalised {@code image} and {@code text} rows (scaled by 1/&radic;2, so
 *       the cosine is the mean of the two per-modality cosines). Zero vectors have cosine 0 with all.
 *   <li>{@link #placeNew}: a new item encoded by the bundle's encoder: cosine against every item's
 *       features of one modality ({@code text}, or {@code fused} when an image was encoded) gives its
 *       similar items; its position in the model's item-factor space is approximated as the
 *       similarity-weighted mean of the item factors of its {@value #PROJECTION_NEIGHBOURS} most similar
 *       items (weights {@code max(cos, 0)}, plain mean if all are 0), and its likely users are the top
 *       users by dot product with that vector. This is a neighbourhood projection for every model type,
 *       not the model's own item tower (exact placement for feature-based models is not done).
 * </ul>
 * Order: higher score first, ties by lower item index (the kernel's order).
 */
public final class ServingIndex {
  /** Modality name for the model's item factors. */
  public static final String ID = "id";
  /** Modality name for the fused image + text view. */
  public static final String FUSED = "fused";

  private final Bundle bundle;
  /** Neighbours whose factors place a new item in factor space ({@link #placeNew}). */
  public static final int PROJECTION_NEIGHBOURS = 10;

  private final TopK.Prepared items;
  /** User factors packed as the kernel's "items" (likely users of a new item); packed on first use. */
  private volatile TopK.Prepared userIndex;
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
    if (bundle.hasEncoder()) {
      userIndex(); // pack once up front rather than in the first encode request
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

  /** Method names {@link #forSession} reports. */
  public static final String FALLBACK = "fallback";

  /**
   * A session's answer.
   *
   * @param method the session encoder's method ({@code sasrec}, ...) or {@value #FALLBACK}
   * @param itemsUsed session items the query vector was computed from (the last {@code maxLength()} for
   *     an encoder, all for the fallback)
   * @param items top-k, best first
   */
  public record SessionAnswer(String method, int itemsUsed, List<Scored> items) {}

  /**
   * Top-k items for an anonymous session (see the class doc).
   *
   * @param itemIds the session's external item ids, oldest first
   * @param excludeSeen whether the session's own items are left out of the answer
   * @throws ApiException 404 naming unknown item ids, 400 for an empty session or a bad k
   */
  public SessionAnswer forSession(List<String> itemIds, int k, boolean excludeSeen) {
    checkK(k);
    if (itemIds.isEmpty()) {
      throw ApiException.badRequest("'items' must list at least one item id");
    }
    int[] rows = rowsOf(itemIds);
    FloatMatrix v = bundle.itemFactors();
    int d = v.cols();
    SessionEncoder enc = bundle.sessionEncoder();
    float[] q;
    String method;
    int used;
    if (enc != null) {
      q = enc.encode(rows);
      method = enc.method();
      used = Math.min(rows.length, enc.maxLength());
    } else {
      q = new float[d];
      for (int r : rows) {
        for (int c = 0; c < d; c++) {
          q[c] += v.data()[r * d + c];
        }
      }
      for (int c = 0; c < d; c++) {
        q[c] /= rows.length;
      }
      method = FALLBACK;
      used = rows.length;
    }
    int[][] exclude = excludeSeen ? new int[][] {rows} : null;
    int[] top = TopK.topK(new FloatMatrix(1, d, q), new int[] {0}, items, null, exclude,
        Math.min(k, v.rows()), 1)[0];
    return new SessionAnswer(method, used, scored(top, q, 0, v));
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

  /** A new item's similar items (cosine) and likely users (dot product), see {@link #placeNew}. */
  public record NewItem(String modality, List<Scored> similar, List<Scored> likelyUsers) {}

  /**
   * Places a new item given its feature vector in one modality (see the class doc).
   *
   * @param vector {@code [d_m]} the new item's features in {@code modality} (any norm; normalised here)
   * @param modality a feature modality of the bundle ({@code text}, {@code fused}, ...)
   * @param k number of similar items and of likely users
   * @return similar items (ids, cosine) and likely users ({@link Scored#item()} holds the user id, the
   *     score is the dot product)
   * @throws ApiException 400 for a bad k or a modality the bundle lacks
   */
  public NewItem placeNew(float[] vector, String modality, int k) {
    checkK(k);
    TopK.Prepared p = modality.equals(ID) ? null : unit.get(modality);
    if (p == null) {
      throw new ApiException(400, "modality_unavailable", "this bundle has no '" + modality
          + "' item features to compare a new item with; available: " + String.join(", ", unit.keySet()));
    }
    FloatMatrix m = p.items();
    int d = m.cols();
    if (vector.length != d) {
      throw new ApiException(503, "encoder_mismatch", "the encoder produced " + vector.length
          + " values but the bundle's '" + modality + "' features have " + d);
    }
    float[] q = normalizedRows(new FloatMatrix(1, d, vector)).data();
    int n = Math.min(Math.max(k, PROJECTION_NEIGHBOURS), m.rows());
    int[] top = TopK.topK(new FloatMatrix(1, d, q), new int[] {0}, p, null, null, n, 1)[0];
    List<Scored> all = scored(top, q, 0, m);
    List<Scored> similar = new ArrayList<>(all.subList(0, Math.min(k, all.size())));
    // neighbourhood projection into item-factor space
    FloatMatrix v = bundle.itemFactors();
    int f = v.cols();
    int nn = Math.min(PROJECTION_NEIGHBOURS, top.length);
    double wsum = 0;
    for (int j = 0; j < nn; j++) {
      wsum += Math.max(0f, all.get(j).score());
    }
    float[] fv = new float[f];
    for (int j = 0; j < nn; j++) {
      double w = wsum > 0 ? Math.max(0f, all.get(j).score()) / wsum : 1.0 / nn;
      int off = top[j] * f;
      for (int c = 0; c < f; c++) {
        fv[c] += (float) (w * v.data()[off + c]);
      }
    }
    List<Scored> users = new ArrayList<>();
    if (nn > 0 && bundle.users().size() > 0) {
      TopK.Prepared ui = userIndex();
      FloatMatrix uf = ui.items();
      int[] tu = TopK.topK(new FloatMatrix(1, f, fv), new int[] {0}, ui, null, null,
          Math.min(k, uf.rows()), 1)[0];
      for (int u : tu) {
        float acc = 0f;
        for (int c = 0; c < f; c++) {
          acc = Math.fma(fv[c], uf.data()[u * f + c], acc);
        }
        users.add(new Scored(bundle.users().id(u), acc));
      }
    }
    return new NewItem(modality, similar, users);
  }

  private TopK.Prepared userIndex() {
    TopK.Prepared p = userIndex;
    if (p == null) {
      synchronized (this) {
        p = userIndex;
        if (p == null) {
          p = TopK.prepare(bundle.userFactors());
          userIndex = p;
        }
      }
    }
    return p;
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

  /** Copy of {@code v} scaled to unit L2 norm (a zero vector stays zero). */
  public static float[] unit(float[] v) {
    return normalizedRows(new FloatMatrix(1, v.length, v)).data();
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
