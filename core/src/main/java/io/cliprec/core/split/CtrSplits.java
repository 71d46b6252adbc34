package io.cliprec.core.split;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Click-through-rate splits (protocol {@link Protocol#CTR}: labelled rows, AUC and LogLoss).
 *
 * <ul>
 *   <li>{@link #negativeSampling}: for implicit data (no click labels). Every train / valid / test row is
 *       kept as a positive (label 1) and gets {@code negatives} label-0 rows in the same split: items the
 *       user never interacted with in any split, drawn uniformly with the split seed. One user's negatives
 *       are distinct across all three splits (no negative appears in both train and test) while the user
 *       has enough never-seen items; after that they repeat. A user who has seen every item gets none.
 *   <li>{@link #validFrom}: labelled data with an empty VALID split (CPMM's CTR files have only train and
 *       test): a seeded random part of TEST (CPMM {@code CTR/main_ctr.py}: half of the test file) or of
 *       TRAIN becomes VALID.
 * </ul>
 *
 * Both are deterministic for a seed and independent of the training seed.
 */
public final class CtrSplits {
  /** Meta key naming the CTR split applied ({@code negative_sampling} or {@code valid_from_<split>}). */
  public static final String META = "ctr_split";

  private CtrSplits() {}

  /** Whether {@code d} already has click labels on its training rows. */
  public static boolean labelled(Dataset d) {
    return d.train().hasLabels();
  }

  /**
   * The negative-sampling CTR split of implicit data {@code d} (see the class comment). Row order per
   * split: each positive followed by its negatives. Ratings are dropped; timestamps, when present, are
   * copied from the positive to its negatives. Meta gains {@code ctr_split=negative_sampling},
   * {@code ctr.negatives}, {@code ctr.seed} and {@code ctr.missing_negatives} (count not drawn because a
   * user had seen every item).
   *
   * @param negatives label-0 rows per positive (&ge; 1)
   * @throws IllegalArgumentException when {@code d} already has labels or {@code negatives < 1}
   */
  public static Dataset negativeSampling(Dataset d, int negatives, long seed) {
    if (negatives < 1) {
      throw new IllegalArgumentException("ctr.negatives must be >= 1, got " + negatives);
    }
    if (labelled(d)) {
      throw new IllegalArgumentException(d.name() + " already has click labels: negative sampling is "
          + "for implicit data");
    }
    int nu = d.numUsers();
    int ni = d.numItems();
    // every item each user interacted with, in any split: never a negative
    CsrMatrix seen = d.allRows().toUserItemMatrix(nu, ni);
    int[][] used = new int[nu][];
    int[] usedCount = new int[nu];
    SplittableRandom root = new SplittableRandom(seed);
    Interactions[] out = new Interactions[3];
    long missing = 0;
    Split[] parts = {Split.TRAIN, Split.VALID, Split.TEST};
    for (int s = 0; s < 3; s++) {
      Interactions in = d.split(parts[s]);
      SplittableRandom rng = root.split();
      int n = in.size();
      int cap = n * (negatives + 1);
      int[] u = new int[cap];
      int[] it = new int[cap];
      long[] t = in.hasTimestamps() ? new long[cap] : null;
      float[] lab = new float[cap];
      int k = 0;
      for (int r = 0; r < n; r++) {
        int user = in.user(r);
        u[k] = user;
        it[k] = in.item(r);
        lab[k] = 1f;
        if (t != null) {
          t[k] = in.timestamp(r);
        }
        k++;
        int unseen = ni - seen.rowLength(user);
        for (int j = 0; j < negatives; j++) {
          if (unseen <= 0) {
            missing++;
            continue;
          }
          if (used[user] == null) {
            used[user] = new int[4];
          }
          boolean distinct = usedCount[user] < unseen;
          int c;
          do {
            c = rng.nextInt(ni);
          } while (seen.contains(user, c) || (distinct && contains(used[user], usedCount[user], c)));
          if (distinct) {
            if (usedCount[user] == used[user].length) {
              used[user] = Arrays.copyOf(used[user], used[user].length * 2);
            }
            used[user][usedCount[user]++] = c;
          }
          u[k] = user;
          it[k] = c;
          if (t != null) {
            t[k] = in.timestamp(r);
          }
          k++;
        }
      }
      out[s] = new Interactions(Arrays.copyOf(u, k), Arrays.copyOf(it, k), null,
          t == null ? null : Arrays.copyOf(t, k), Arrays.copyOf(lab, k));
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put(META, "negative_sampling");
    m.put("ctr.negatives", Integer.toString(negatives));
    m.put("ctr.seed", Long.toString(seed));
    m.put("ctr.missing_negatives", Long.toString(missing));
    return d.withSplits(out[0], out[1], out[2], Protocol.CTR, m);
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int k = 0; k < n; k++) {
      if (a[k] == v) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves a seeded random {@code fraction} of the rows of {@code source} ({@link Split#TEST} or
   * {@link Split#TRAIN}) to VALID, which must be empty. Sizes as CPMM's
   * {@code random_split(test, [n - int(n * (1 - fraction)), int(n * (1 - fraction))])}: VALID gets
   * {@code n - floor(n * (1 - fraction))} rows. Rows keep their relative order. Meta gains
   * {@code ctr_split=valid_from_<source>}, {@code ctr.valid_fraction}, {@code ctr.seed}.
   *
   * @throws IllegalArgumentException when VALID is not empty, {@code source} is VALID or the fraction is
   *     outside (0, 1)
   */
  public static Dataset validFrom(Dataset d, Split source, double fraction, long seed) {
    if (source == Split.VALID) {
      throw new IllegalArgumentException("ctr.valid must be test or train");
    }
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("ctr.valid_fraction must be in (0, 1), got " + fraction);
    }
    if (d.valid().size() > 0) {
      throw new IllegalArgumentException(d.name() + " already has a validation split");
    }
    Interactions src = d.split(source);
    int n = src.size();
    int keep = (int) Math.floor(n * (1 - fraction));
    int[] perm = new int[n];
    for (int k = 0; k < n; k++) {
      perm[k] = k;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = n - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int tmp = perm[k];
      perm[k] = perm[j];
      perm[j] = tmp;
    }
    int[] toValid = Arrays.copyOfRange(perm, 0, n - keep);
    int[] stay = Arrays.copyOfRange(perm, n - keep, n);
    Arrays.sort(toValid);
    Arrays.sort(stay);
    Interactions valid = src.select(toValid);
    Interactions rest = src.select(stay);
    Map<String, String> m = new LinkedHashMap<>();
    m.put(META, "valid_from_" + source.name().toLowerCase(java.util.Locale.ROOT));
    m.put("ctr.valid_fraction", Double.toString(fraction));
    m.put("ctr.seed", Long.toString(seed));
    return source == Split.TEST
        ? d.withSplits(d.train(), valid, rest, d.protocol(), m)
        : d.withSplits(rest, valid, d.test(), d.protocol(), m);
  }
}
