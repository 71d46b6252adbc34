package io.cliprec.core.data;

import java.util.Arrays;

/**
 * Columnar (user, item[, rating][, timestamp][, label]) rows with dense indices. Immutable.
 *
 * <p>Optional columns are {@code null} when the source had none. Row order is the source order (for
 * sequential data: time order within each user).
 */
public final class Interactions {
  private final int[] users;
  private final int[] items;
  private final float[] ratings;
  private final long[] timestamps;
  private final float[] labels;

  /**
   * @param users user index per row
   * @param items item index per row (same length)
   * @param ratings rating per row or null
   * @param timestamps timestamp (seconds, or position for sequence files) per row or null
   * @param labels 0/1 click label per row (CTR) or null
   */
  public Interactions(int[] users, int[] items, float[] ratings, long[] timestamps, float[] labels) {
    if (users.length != items.length) {
      throw new IllegalArgumentException("users/items length mismatch");
    }
    check(ratings, users.length, "ratings");
    check(timestamps, users.length, "timestamps");
    check(labels, users.length, "labels");
    this.users = users;
    this.items = items;
    this.ratings = ratings;
    this.timestamps = timestamps;
    this.labels = labels;
  }

  private static void check(Object col, int n, String name) {
    if (col == null) {
      return;
    }
    int len = col instanceof float[] ? ((float[]) col).length : ((long[]) col).length;
    if (len != n) {
      throw new IllegalArgumentException(name + " length " + len + " != " + n);
    }
  }

  public static Interactions empty() {
    return new Interactions(new int[0], new int[0], null, null, null);
  }

  public int size() {
    return users.length;
  }

  public int user(int row) {
    return users[row];
  }

  public int item(int row) {
    return items[row];
  }

  public boolean hasRatings() {
    return ratings != null;
  }

  public float rating(int row) {
    return ratings[row];
  }

  public boolean hasTimestamps() {
    return timestamps != null;
  }

  public long timestamp(int row) {
    return timestamps[row];
  }

  public boolean hasLabels() {
    return labels != null;
  }

  public float label(int row) {
    return labels[row];
  }

  /** The user column (not copied: do not modify). */
  public int[] usersArray() {
    return users;
  }

  /** The item column (not copied: do not modify). */
  public int[] itemsArray() {
    return items;
  }

  /** Rows selected by {@code rows}, in that order. */
  public Interactions select(int[] rows) {
    int n = rows.length;
    int[] u = new int[n];
    int[] it = new int[n];
    float[] r = ratings == null ? null : new float[n];
    long[] t = timestamps == null ? null : new long[n];
    float[] l = labels == null ? null : new float[n];
    for (int k = 0; k < n; k++) {
      int row = rows[k];
      u[k] = users[row];
      it[k] = items[row];
      if (r != null) {
        r[k] = ratings[row];
      }
      if (t != null) {
        t[k] = timestamps[row];
      }
      if (l != null) {
        l[k] = labels[row];
      }
    }
    return new Interactions(u, it, r, t, l);
  }

  /** Rows of {@code a} followed by rows of {@code b}; optional columns are kept only when both have them. */
  public static Interactions concat(Interactions a, Interactions b) {
    int n = a.size() + b.size();
    int[] u = Arrays.copyOf(a.users, n);
    System.arraycopy(b.users, 0, u, a.size(), b.size());
    int[] it = Arrays.copyOf(a.items, n);
    System.arraycopy(b.items, 0, it, a.size(), b.size());
    float[] r = null;
    if (a.ratings != null && b.ratings != null) {
      r = Arrays.copyOf(a.ratings, n);
      System.arraycopy(b.ratings, 0, r, a.size(), b.size());
    }
    long[] t = null;
    if (a.timestamps != null && b.timestamps != null) {
      t = Arrays.copyOf(a.timestamps, n);
      System.arraycopy(b.timestamps, 0, t, a.size(), b.size());
    }
    float[] l = null;
    if (a.labels != null && b.labels != null) {
      l = Arrays.copyOf(a.labels, n);
      System.arraycopy(b.labels, 0, l, a.size(), b.size());
    }
    return new Interactions(u, it, r, t, l);
  }

  /**
   * Binary user&times;item matrix of these rows (duplicates collapsed, column indices sorted per row).
   * Rows with a label of 0 (CTR negatives) are skipped.
   */
  public CsrMatrix toUserItemMatrix(int numUsers, int numItems) {
    return CsrMatrix.binary(numUsers, numItems, users, items, labels);
  }
}
