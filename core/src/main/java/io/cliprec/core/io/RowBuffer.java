package io.cliprec.core.io;

import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Split;
import java.util.Arrays;

/**
 * Growable columnar rows with a split code per row, turned into train/valid/test {@link Interactions}
 * that keep the source row order. Optional columns are all-or-nothing per buffer.
 */
final class RowBuffer {
  /** Split code of rows whose split is not known yet (kept in train; a splitter decides). */
  static final byte NONE = -1;

  private final boolean hasRating;
  private final boolean hasTime;
  private final boolean hasLabel;
  private int n;
  private int[] users = new int[1024];
  private int[] items = new int[1024];
  private float[] ratings;
  private long[] times;
  private float[] labels;
  private byte[] splits = new byte[1024];

  RowBuffer(boolean hasRating, boolean hasTime, boolean hasLabel) {
    this.hasRating = hasRating;
    this.hasTime = hasTime;
    this.hasLabel = hasLabel;
    ratings = hasRating ? new float[1024] : null;
    times = hasTime ? new long[1024] : null;
    labels = hasLabel ? new float[1024] : null;
  }

  int size() {
    return n;
  }

  /** Adds a row; {@code split} is 0/1/2 (train/valid/test) or {@link #NONE}. */
  void add(int u, int i, float rating, long time, float label, byte split) {
    if (n == users.length) {
      int cap = n * 2;
      users = Arrays.copyOf(users, cap);
      items = Arrays.copyOf(items, cap);
      splits = Arrays.copyOf(splits, cap);
      if (hasRating) {
        ratings = Arrays.copyOf(ratings, cap);
      }
      if (hasTime) {
        times = Arrays.copyOf(times, cap);
      }
      if (hasLabel) {
        labels = Arrays.copyOf(labels, cap);
      }
    }
    users[n] = u;
    items[n] = i;
    splits[n] = split;
    if (hasRating) {
      ratings[n] = rating;
    }
    if (hasTime) {
      times[n] = time;
    }
    if (hasLabel) {
      labels[n] = label;
    }
    n++;
  }

  int user(int row) {
    return users[row];
  }

  int item(int row) {
    return items[row];
  }

  long time(int row) {
    return times[row];
  }

  byte split(int row) {
    return splits[row];
  }

  void setItem(int row, int item) {
    items[row] = item;
  }

  void setUser(int row, int user) {
    users[row] = user;
  }

  /** Whether every rating equals {@code v} (e.g. -1 = unknown everywhere). */
  boolean allRatings(float v) {
    for (int k = 0; k < n; k++) {
      if (ratings[k] != v) {
        return false;
      }
    }
    return true;
  }

  boolean allTimes(long v) {
    for (int k = 0; k < n; k++) {
      if (times[k] != v) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows of one split (NONE rows count as train), in source order.
   *
   * @param dropRating drop the rating column (e.g. all unknown)
   * @param dropTime drop the timestamp column
   */
  Interactions part(Split s, boolean dropRating, boolean dropTime) {
    byte code = (byte) s.ordinal();
    int m = 0;
    for (int k = 0; k < n; k++) {
      if (splits[k] == code || (code == 0 && splits[k] == NONE)) {
        m++;
      }
    }
    int[] u = new int[m];
    int[] it = new int[m];
    float[] r = hasRating && !dropRating ? new float[m] : null;
    long[] t = hasTime && !dropTime ? new long[m] : null;
    float[] l = hasLabel ? new float[m] : null;
    int o = 0;
    for (int k = 0; k < n; k++) {
      if (splits[k] == code || (code == 0 && splits[k] == NONE)) {
        u[o] = users[k];
        it[o] = items[k];
        if (r != null) {
          r[o] = ratings[k];
        }
        if (t != null) {
          t[o] = times[k];
        }
        if (l != null) {
          l[o] = labels[k];
        }
        o++;
      }
    }
    return new Interactions(u, it, r, t, l);
  }

  /** Whether any row has a known split. */
  boolean hasSplits() {
    for (int k = 0; k < n; k++) {
      if (splits[k] != NONE) {
        return true;
      }
    }
    return false;
  }
}
