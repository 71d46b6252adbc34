package io.cliprec.models.ctr;

import java.util.Arrays;

/**
 * One batch of (user, item, class) rows as {@link CtrNet} consumes it: the distinct users, items and
 * classes it touches (sorted) and every row's position among them, so that only those rows of the
 * embedding tables become autograd leaves ({@code FlatParams.leaves(m, grad, rowsOf)}).
 *
 * @param users position of each row's user in {@code distinctUsers}, length B
 * @param items position of each row's item in {@code distinctItems}, length B
 * @param classes position of each row's class in {@code distinctClasses}, length B
 * @param rowsOf per parameter tensor: the table rows this batch uses, or null (whole tensor)
 */
public record CtrBatch(int[] users, int[] items, int[] classes, int[][] rowsOf) {
  /** Sorted distinct values of {@code ids} and, in {@code pos}, each id's index among them. */
  static int[] distinct(int[] ids, int[] pos) {
    int[] s = ids.clone();
    Arrays.sort(s);
    int n = 0;
    for (int k = 0; k < s.length; k++) {
      if (k == 0 || s[k] != s[k - 1]) {
        s[n++] = s[k];
      }
    }
    int[] d = Arrays.copyOf(s, n);
    for (int k = 0; k < ids.length; k++) {
      pos[k] = Arrays.binarySearch(d, ids[k]);
    }
    return d;
  }

  public int size() {
    return users.length;
  }
}
