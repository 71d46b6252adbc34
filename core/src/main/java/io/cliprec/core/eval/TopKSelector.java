package io.cliprec.core.eval;

import java.util.Arrays;

/**
 * Bounded top-K selection for a group of users ("slots"), fed with (item, score) pairs in increasing item
 * order per slot. Each slot appends packed keys (see {@link #key}) of candidates to a buffer of
 * {@code cap = max(4k, k + 64)} entries; when it is full, a quickselect keeps the k best keys and
 * {@link #threshold(int)} becomes the score of the worst of them, so a scan rejects most items with one
 * float comparison {@code score >= threshold} and calls {@link #offer} only for the few candidates
 * (threshold + partial sort: appends are cheap, selections rare). The final order is decided by the exact
 * keys, so every scan visiting a slot's items in increasing index gives the same result.
 *
 * <p>Order: higher score first; equal scores (and {@code -0.0f == 0.0f}) by lower item index; NaN
 * ranks after every number. Excluded (masked) items are never kept; exclusions are given as a
 * sorted int range per slot and consumed with a forward cursor.
 */
final class TopKSelector {
  private final int k;
  private final int cap;
  private final long[][] bufs;
  private final int[] counts;
  private final float[] thresholds;
  private final int[][] exArr;
  private final int[] exPos;
  private final int[] exEnd;

  /** @param slots maximum number of users handled at once; @param k list length (&ge; 0) */
  TopKSelector(int slots, int k) {
    this.k = k;
    this.cap = Math.max(4 * k, k + 64);
    bufs = new long[slots][cap];
    counts = new int[slots];
    thresholds = new float[slots];
    exArr = new int[slots][];
    exPos = new int[slots];
    exEnd = new int[slots];
  }

  int k() {
    return k;
  }

  /**
   * Starts a new user in {@code slot}; {@code ex[from..to)} are its excluded items, sorted ascending
   * (may be null).
   */
  void reset(int slot, int[] ex, int from, int to) {
    counts[slot] = 0;
    thresholds[slot] = Float.NEGATIVE_INFINITY;
    exArr[slot] = ex;
    exPos[slot] = ex == null ? 0 : from;
    exEnd[slot] = ex == null ? 0 : to;
  }

  /** Whether the slot already holds &ge; k items (only then may a scan use {@link #threshold}). */
  boolean full(int slot) {
    return counts[slot] >= k;
  }

  /**
   * A score bound (NaN mapped to -inf; -inf until the first selection): once the slot is
   * {@link #full}, an item with {@code !(score >= threshold)} cannot be among the k best.
   */
  float threshold(int slot) {
    return thresholds[slot];
  }

  /** Sortable int of a score: larger score &rarr; larger int; -0.0 == 0.0; NaN smallest. */
  static int sortable(float s) {
    if (s != s) {
      return Integer.MIN_VALUE;
    }
    int bits = Float.floatToRawIntBits(s + 0.0f);
    return bits ^ ((bits >> 31) & 0x7FFFFFFF);
  }

  /** Total-order key: larger key ranks first; ties on score go to the lower item index. */
  static long key(float s, int item) {
    return ((long) sortable(s) << 32) | (0x7FFFFFFFL - item);
  }

  static int itemOf(long key) {
    return (int) (0x7FFFFFFFL - (key & 0xFFFFFFFFL));
  }

  static float scoreOf(long key) {
    int hi = (int) (key >> 32);
    if (hi == Integer.MIN_VALUE) {
      return Float.NaN;
    }
    return Float.intBitsToFloat(hi ^ ((hi >> 31) & 0x7FFFFFFF));
  }

  /** Offers one item (items must arrive in increasing index order per slot). */
  void offer(int slot, int item, float s) {
    if (k == 0) {
      return;
    }
    int[] ex = exArr[slot];
    if (ex != null) {
      int p = exPos[slot];
      int end = exEnd[slot];
      while (p < end && ex[p] < item) {
        p++;
      }
      exPos[slot] = p;
      if (p < end && ex[p] == item) {
        return;
      }
    }
    long[] b = bufs[slot];
    int n = counts[slot];
    b[n++] = key(s, item);
    if (n == cap) {
      long worst = keepBest(b, n, k);
      n = k;
      thresholds[slot] = thresholdOf(worst);
    }
    counts[slot] = n;
  }

  /**
   * Reorders {@code a[0..n)} so that its {@code m} largest keys come first (unordered) and returns the
   * smallest of them. Quickselect, median-of-three pivot; keys are distinct. Requires 0 &lt; m &le; n.
   */
  static long keepBest(long[] a, int n, int m) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long x = a[lo];
      long y = a[mid];
      long z = a[hi];
      long pivot = x < y ? (y < z ? y : Math.max(x, z)) : (x < z ? x : Math.max(y, z));
      int i = lo;
      int j = hi;
      while (i <= j) { // descending partition around pivot
        while (a[i] > pivot) {
          i++;
        }
        while (a[j] < pivot) {
          j--;
        }
        if (i <= j) {
          long t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      // now a[lo..j] >= pivot >= a[i..hi], and j < i
      if (m - 1 <= j) {
        hi = j;
      } else if (m - 1 >= i) {
        lo = i;
      } else {
        break;
      }
    }
    long worst = Long.MAX_VALUE;
    for (int t = 0; t < m; t++) {
      worst = Math.min(worst, a[t]);
    }
    return worst;
  }

  private static float thresholdOf(long rootKey) {
    float s = scoreOf(rootKey);
    return s != s ? Float.NEGATIVE_INFINITY : s;
  }

  /**
   * Scalar scan of {@code scores[off .. off+len)} = items {@code item0 .. item0+len)} for one slot.
   */
  void scan(int slot, float[] scores, int off, int item0, int len) {
    int j = 0;
    while (j < len && counts[slot] < k) {
      offer(slot, item0 + j, scores[off + j]);
      j++;
    }
    float thr = thresholds[slot];
    for (; j < len; j++) {
      float s = scores[off + j];
      if (s >= thr) {
        offer(slot, item0 + j, s);
        thr = thresholds[slot];
      }
    }
  }

  /** The kept items of a slot, best first (length min(k, unmasked items seen)). */
  int[] result(int slot) {
    int n = counts[slot];
    long[] b = bufs[slot];
    int m = Math.min(k, n);
    if (m > 0 && n > m) {
      keepBest(b, n, m);
    }
    long[] keys = Arrays.copyOf(b, m);
    Arrays.sort(keys);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = itemOf(keys[m - 1 - i]);
    }
    return out;
  }
}
