package io.cliprec.models.mp4sr;

import io.cliprec.models.seq.UserSequences;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * RecBole's sequential training data (MP4SR trains on it in both stages): every prefix of every user's
 * training sequence is one sample, input = the (at most {@code maxLen}) items before position
 * {@code end}, target = the item at {@code end}, for {@code end = 1 .. n-1}.
 */
public final class PrefixSamples {
  private final UserSequences seqs;
  private final int[] user;
  private final int[] end;
  private final int maxLen;

  /** One batch: left-padded ids {@code [size * len]} and model-id targets {@code [size]}. */
  public record Batch(int[] ids, int[] targets, int size, int len) {}

  public PrefixSamples(UserSequences seqs, int maxLen) {
    this.seqs = seqs;
    this.maxLen = maxLen;
    int n = 0;
    for (int u = 0; u < seqs.numUsers(); u++) {
      n += Math.max(0, seqs.train(u).length - 1);
    }
    user = new int[n];
    end = new int[n];
    int k = 0;
    for (int u = 0; u < seqs.numUsers(); u++) {
      for (int e = 1; e < seqs.train(u).length; e++) {
        user[k] = u;
        end[k++] = e;
      }
    }
  }

  public int size() {
    return user.length;
  }

  /** Input items of sample {@code k} (model ids, time order, at most maxLen). */
  public int[] input(int k) {
    int[] tr = seqs.train(user[k]);
    return Arrays.copyOfRange(tr, Math.max(0, end[k] - maxLen), end[k]);
  }

  public int target(int k) {
    return seqs.train(user[k])[end[k]];
  }

  /**
   * One epoch's batches of sample indices: shuffled; with {@code bucketing = b > 1} each run of
   * {@code b * batch} shuffled samples is sorted by input length before cutting and the batch order is
   * shuffled again (less padding; {@code b <= 1}: plain random batches as RecBole).
   */
  public int[][] epochBatches(int batch, int bucketing, SplittableRandom rng) {
    int[] order = new int[size()];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    shuffle(order, rng);
    if (bucketing > 1) {
      int span = bucketing * batch;
      for (int off = 0; off < order.length; off += span) {
        int to = Math.min(order.length, off + span);
        Integer[] chunk = new Integer[to - off];
        for (int k = 0; k < chunk.length; k++) {
          chunk[k] = order[off + k];
        }
        Arrays.sort(chunk, (a, b) -> Integer.compare(Math.min(maxLen, end[a]), Math.min(maxLen, end[b])));
        for (int k = 0; k < chunk.length; k++) {
          order[off + k] = chunk[k];
        }
      }
    }
    int nb = (order.length + batch - 1) / batch;
    int[][] out = new int[nb][];
    for (int b = 0; b < nb; b++) {
      out[b] = Arrays.copyOfRange(order, b * batch, Math.min(order.length, (b + 1) * batch));
    }
    if (bucketing > 1) {
      for (int k = out.length - 1; k > 0; k--) {
        int j = rng.nextInt(k + 1);
        int[] t = out[k];
        out[k] = out[j];
        out[j] = t;
      }
    }
    return out;
  }

  /**
   * The batch of samples {@code idx}, each input passed through {@link Mp4srAugment#itemDrop} with
   * probability {@code dropP} (0 = none), padded on the left to the longest input.
   */
  public Batch batch(int[] idx, double dropP, SplittableRandom rng) {
    int[][] in = new int[idx.length][];
    int len = 1;
    int[] tgt = new int[idx.length];
    for (int b = 0; b < idx.length; b++) {
      in[b] = Mp4srAugment.itemDrop(input(idx[b]), dropP, rng);
      len = Math.max(len, in[b].length);
      tgt[b] = target(idx[b]);
    }
    int[] ids = new int[idx.length * len];
    for (int b = 0; b < idx.length; b++) {
      UserSequences.padLeft(in[b], 0, in[b].length, len, ids, b * len);
    }
    return new Batch(ids, tgt, idx.length, len);
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int k = a.length - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int t = a[k];
      a[k] = a[j];
      a[j] = t;
    }
  }
}
