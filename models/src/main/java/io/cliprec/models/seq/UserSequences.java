package io.cliprec.models.seq;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Split;
import java.util.Arrays;

/**
 * Per-user item histories of a leave-one-out dataset, in model ids: item index + 1 (0 is padding, as in
 * S3-Rec where item ids start at 1). Train items are ordered by timestamp (ties keep row order); each
 * user has at most one valid and one test item ({@code 0} when absent).
 */
public final class UserSequences {
  private final int[][] train;
  private final int[] valid;
  private final int[] test;
  private final int numItems;

  private UserSequences(int[][] train, int[] valid, int[] test, int numItems) {
    this.train = train;
    this.valid = valid;
    this.test = test;
    this.numItems = numItems;
  }

  /** Builds the histories from {@code data}'s train / valid / test rows. */
  public static UserSequences of(Dataset data) {
    int nu = data.numUsers();
    Interactions tr = data.train();
    int[] count = new int[nu];
    for (int r = 0; r < tr.size(); r++) {
      count[tr.user(r)]++;
    }
    int[][] rows = new int[nu][];
    for (int u = 0; u < nu; u++) {
      rows[u] = new int[count[u]];
    }
    int[] fill = new int[nu];
    for (int r = 0; r < tr.size(); r++) {
      int u = tr.user(r);
      rows[u][fill[u]++] = r;
    }
    boolean ts = tr.hasTimestamps();
    int[][] seq = new int[nu][];
    for (int u = 0; u < nu; u++) {
      int[] rr = rows[u];
      if (ts) {
        Integer[] boxed = Arrays.stream(rr).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> Long.compare(tr.timestamp(a), tr.timestamp(b)));
        for (int k = 0; k < rr.length; k++) {
          rr[k] = boxed[k];
        }
      }
      seq[u] = new int[rr.length];
      for (int k = 0; k < rr.length; k++) {
        seq[u][k] = tr.item(rr[k]) + 1;
      }
    }
    return new UserSequences(seq, last(data.valid(), nu), last(data.test(), nu), data.numItems());
  }

  private static int[] last(Interactions in, int nu) {
    int[] out = new int[nu];
    for (int r = 0; r < in.size(); r++) {
      out[in.user(r)] = in.item(r) + 1;
    }
    return out;
  }

  public int numUsers() {
    return train.length;
  }

  public int numItems() {
    return numItems;
  }

  /** Train items of user {@code u} in time order (model ids, live array). */
  public int[] train(int u) {
    return train[u];
  }

  /** Valid item of {@code u} (model id) or 0. */
  public int valid(int u) {
    return valid[u];
  }

  /** Test item of {@code u} (model id) or 0. */
  public int test(int u) {
    return test[u];
  }

  /**
   * The history seen when predicting {@code target} (model ids, time order): nothing for TRAIN, the train
   * items for VALID, train + valid item for TEST.
   */
  public int[] historyBefore(int u, Split target) {
    switch (target) {
      case TRAIN:
        return new int[0];
      case VALID:
        return train[u];
      default:
        if (valid[u] == 0) {
          return train[u];
        }
        int[] h = Arrays.copyOf(train[u], train[u].length + 1);
        h[train[u].length] = valid[u];
        return h;
    }
  }

  /**
   * Writes the last {@code maxLen} entries of {@code seq} right-aligned into {@code out[off .. off+maxLen)},
   * left-padded with 0 (S3-Rec's {@code [0] * pad_len + ids}, then {@code [-max_len:]}).
   */
  public static void padLeft(int[] seq, int from, int to, int maxLen, int[] out, int off) {
    int n = Math.min(maxLen, to - from);
    int pad = maxLen - n;
    Arrays.fill(out, off, off + pad, 0);
    System.arraycopy(seq, to - n, out, off + pad, n);
  }
}
