package io.cliprec.core.eval;

import java.util.Arrays;

/**
 * Bounded top-K selection for a group of users ("slots"), fed with (item, score) pairs in increasing item
 * order per slot. Each slot keeps a binary min-heap of at most {@code k} packed keys (see {@link #key});
 * the root is the worst kept item, and {@link #threshold(int)} is its score, so a scan can reject most
 * items with a single float comparison {@code score >= threshold} and call {@link #offer} only for the
 * few candidates. The exact decision is always the key comparison, so every scan order that visits the
 * items of a slot in increasing index gives the same result.
 *
 * <p>Order: higher score first; equal scores (and {@code -0.0f == 0.0f}) by lower item index; NaN
 * ranks after every number. Excluded (masked) items never enter the heap; exclusions are given as a
 * sorted int range per slot and consumed with a forward cursor.
 */
final class TopKSelector {
  private final int k;
  private final long[][] heaps;
  private final int[] counts;
  private final float[] thresholds;
  private final int[][] exArr;
  private final int[] exPos;
  private final int[] exEnd;

  /** @param slots maximum number of users handled at once; @param k list length (&ge; 0) */
  TopKSelector(int slots, int k) {
    this.k = k;
    heaps = new long[slots][k];
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

  /** Whether the slot already holds k items (only then may a scan use {@link #threshold}). */
  boolean full(int slot) {
    return counts[slot] >= k;
  }

  /**
   * Score of the worst kept item (NaN mapped to -inf); any item with {@code !(score >= threshold)}
   * cannot enter a full heap.
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
    long key = key(s, item);
    long[] h = heaps[slot];
    int n = counts[slot];
    if (n < k) {
      // sift up
      int i = n;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (h[parent] <= key) {
          break;
        }
        h[i] = h[parent];
        i = parent;
      }
      h[i] = key;
      counts[slot] = n + 1;
      if (n + 1 == k) {
        thresholds[slot] = thresholdOf(h[0]);
      }
    } else if (k > 0 && key > h[0]) {
      // replace root, sift down
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= k) {
          break;
        }
        if (c + 1 < k && h[c + 1] < h[c]) {
          c++;
        }
        if (h[c] >= key) {
          break;
        }
        h[i] = h[c];
        i = c;
      }
      h[i] = key;
      thresholds[slot] = thresholdOf(h[0]);
    }
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
    long[] keys = Arrays.copyOf(heaps[slot], n);
    Arrays.sort(keys);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = itemOf(keys[n - 1 - i]);
    }
    return out;
  }
}
