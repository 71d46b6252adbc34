package io.cliprec.models.train;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import java.util.SplittableRandom;

/**
 * MMRec's {@code TrainDataLoader} with {@code use_neg_sampling}: every epoch all positive training rows in a
 * fresh random order, each with one negative drawn uniformly from the items that occur in training and
 * rejected while the user has it in training.
 */
public final class PairSampler {
  private final int[] users;
  private final int[] items;
  private final int[] candidates;
  private final CsrMatrix train;

  /** One epoch's triples, each of length {@link #size()}. */
  public record Epoch(int[] users, int[] pos, int[] neg) {}

  public PairSampler(Dataset data) {
    Interactions tr = data.train();
    int n = 0;
    for (int r = 0; r < tr.size(); r++) {
      if (!tr.hasLabels() || tr.label(r) > 0) {
        n++;
      }
    }
    users = new int[n];
    items = new int[n];
    boolean[] seen = new boolean[data.numItems()];
    int k = 0;
    for (int r = 0; r < tr.size(); r++) {
      if (!tr.hasLabels() || tr.label(r) > 0) {
        users[k] = tr.user(r);
        items[k] = tr.item(r);
        seen[items[k]] = true;
        k++;
      }
    }
    int c = 0;
    for (boolean s : seen) {
      c += s ? 1 : 0;
    }
    candidates = new int[c];
    c = 0;
    for (int i = 0; i < seen.length; i++) {
      if (seen[i]) {
        candidates[c++] = i;
      }
    }
    train = data.trainMatrix();
    if (n == 0) {
      throw new IllegalArgumentException("dataset " + data.name() + " has no positive training rows");
    }
  }

  /** Number of positive training rows (pairs per epoch). */
  public int size() {
    return users.length;
  }

  /** Shuffled pairs with negatives for one epoch, drawn from {@code rng}. */
  public Epoch epoch(SplittableRandom rng) {
    int n = users.length;
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] u = new int[n];
    int[] p = new int[n];
    int[] q = new int[n];
    for (int k = 0; k < n; k++) {
      int r = perm[k];
      u[k] = users[r];
      p[k] = items[r];
      int user = u[k];
      if (train.rowLength(user) >= candidates.length) {
        throw new IllegalStateException("user " + user + " has interacted with every item: no negative");
      }
      int neg;
      do {
        neg = candidates[rng.nextInt(candidates.length)];
      } while (train.contains(user, neg));
      q[k] = neg;
    }
    return new Epoch(u, p, q);
  }
}
