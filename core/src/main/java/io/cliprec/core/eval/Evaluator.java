package io.cliprec.core.eval;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import java.util.Arrays;

/**
 * Full-ranking evaluation (MMRec / RecBole / S3-Rec protocol).
 *
 * <p>Evaluated users: every user with at least one row in the target split (for CTR-labelled data only
 * rows with label &gt; 0 count). Their targets are the distinct items of those rows.
 *
 * <p>Masking ({@link EvalOptions#mask()}), items removed from the ranking before top-K:
 * <ul>
 *   <li>{@link MaskPolicy#TRAIN}: training items (MMRec: {@code EvalDataLoader} gets the training set as
 *       {@code additional_dataset} for both valid and test, so valid items stay rankable in test).
 *       Nothing is masked when the target itself is TRAIN.
 *   <li>{@link MaskPolicy#HISTORY}: every split before the target: train for VALID, train + valid for TEST
 *       (S3-Rec {@code predict_full} with {@code valid_rating_matrix} / {@code test_rating_matrix}).
 *   <li>{@link MaskPolicy#NONE}: nothing.
 * </ul>
 * Masked items are removed, not pushed to the bottom (MMRec sets them to -1e10, S3-Rec to 0, RecBole to
 * -inf); this only differs from the peers when fewer than K unmasked items exist.
 *
 * <p>Ranking: score descending, ties by lower item index, NaN last ({@link TopK}). Metrics: see
 * {@link RankingMetrics}; keys {@code Recall@K, NDCG@K, Precision@K, MAP@K, HR@K, MRR@K} for every K in
 * {@link EvalOptions#ks()}, averaged over evaluated users (NaN when there are none).
 *
 * <p>A {@link FactorScorer} goes through the fused kernel ({@link TopK}); any other {@link Scorer} is
 * scored in batches of users into a reused buffer followed by the same top-K selection.
 */
public final class Evaluator {
  /** Users per {@link Scorer#score} call on the generic path. */
  static final int BATCH = 64;

  private Evaluator() {}

  /**
   * Ranks all items for every user with at least one {@code split} row, masks per {@code options.mask()},
   * and averages Recall, NDCG, Precision, MAP, HR, MRR at each K over those users. Ties broken by lower
   * item index first.
   */
  public static EvalResult evaluate(Dataset data, Split split, Scorer scorer, EvalOptions options) {
    long t0 = System.nanoTime();
    return evaluate(data, split, scorer, options, usersWithRows(data.matrix(split)), t0);
  }

  /**
   * As {@link #evaluate(Dataset, Split, Scorer, EvalOptions)} restricted to {@code users} (ascending
   * user indices, each with at least one {@code split} row), e.g. the cold-start cases of
   * {@link ColdStart}.
   */
  public static EvalResult evaluate(Dataset data, Split split, Scorer scorer, EvalOptions options,
      int[] users) {
    return evaluate(data, split, scorer, options, users, System.nanoTime());
  }

  private static EvalResult evaluate(Dataset data, Split split, Scorer scorer, EvalOptions options,
      int[] users, long t0) {
    int numItems = data.numItems();
    if (scorer.numItems() != numItems) {
      throw new IllegalArgumentException(
          "scorer has " + scorer.numItems() + " items but dataset " + data.name() + " has " + numItems);
    }
    CsrMatrix target = data.matrix(split);
    CsrMatrix mask = mask(data, split, options.mask());
    RankingMetrics metrics = new RankingMetrics(options.ks());
    int k = Math.min(metrics.maxK(), numItems);
    int threads = Math.max(1, options.threads());
    int[][] ranked;
    if (scorer instanceof FactorScorer) {
      FactorScorer fs = (FactorScorer) scorer;
      FloatMatrix uf = fs.userFactors(split);
      FloatMatrix itf = fs.itemFactors();
      if (uf.rows() < data.numUsers()) {
        throw new IllegalArgumentException(
            "scorer has " + uf.rows() + " users but dataset " + data.name() + " has " + data.numUsers());
      }
      ranked = TopK.topK(uf, users, itf, mask, null, k, threads, TopK.Impl.AUTO);
    } else {
      ranked = rankGeneric(scorer, split, users, numItems, mask, k, threads);
    }
    for (int b = 0; b < users.length; b++) {
      metrics.add(ranked[b], target.row(users[b]));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new EvalResult(metrics.means(), metrics.users(), seconds);
  }

  /**
   * Top-k lists of the given users from any scorer: batches of {@link #BATCH} users scored into a
   * per-task buffer {@code [BATCH, numItems]}, then selected with the mask rows.
   */
  static int[][] rankGeneric(Scorer scorer, Split split, int[] users, int numItems, CsrMatrix mask,
      int k, int threads) {
    int[][] ranked = new int[users.length][];
    int nBatches = (users.length + BATCH - 1) / BATCH;
    ThreadLocal<float[]> buffers = ThreadLocal.withInitial(() -> new float[BATCH * numItems]);
    TopKKernel kern = TopK.kernel(TopK.Impl.AUTO);
    TopK.parallelFor(nBatches, threads, bi -> {
      int from = bi * BATCH;
      int to = Math.min(users.length, from + BATCH);
      int[] batch = Arrays.copyOfRange(users, from, to);
      float[] buf = buffers.get();
      scorer.score(batch, split, buf);
      TopKSelector sel = new TopKSelector(1, k);
      for (int b = 0; b < batch.length; b++) {
        int u = batch[b];
        if (mask != null) {
          sel.reset(0, mask.indices(), mask.indptr()[u], mask.indptr()[u + 1]);
        } else {
          sel.reset(0, null, 0, 0);
        }
        if (k > 0) {
          kern.scan(sel, 0, buf, b * numItems, 0, numItems);
        }
        ranked[from + b] = sel.result(0);
      }
    });
    return ranked;
  }

  /** Users (ascending) with a non-empty row. */
  static int[] usersWithRows(CsrMatrix m) {
    int n = 0;
    for (int u = 0; u < m.rows(); u++) {
      if (m.rowLength(u) > 0) {
        n++;
      }
    }
    int[] out = new int[n];
    n = 0;
    for (int u = 0; u < m.rows(); u++) {
      if (m.rowLength(u) > 0) {
        out[n++] = u;
      }
    }
    return out;
  }

  /** The exclusion matrix of a policy for a target split, or null when nothing is masked. */
  public static CsrMatrix mask(Dataset data, Split target, MaskPolicy policy) {
    switch (policy) {
      case NONE:
        return null;
      case TRAIN:
        return target == Split.TRAIN ? null : data.trainMatrix();
      default:
        if (target == Split.TRAIN) {
          return null;
        }
        if (target == Split.VALID) {
          return data.trainMatrix();
        }
        return union(data.trainMatrix(), data.matrix(Split.VALID));
    }
  }

  /** Binary union of two same-shape matrices. */
  static CsrMatrix union(CsrMatrix a, CsrMatrix b) {
    int rows = a.rows();
    int[] ptr = new int[rows + 1];
    int[] idx = new int[a.nnz() + b.nnz()];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      int i = a.indptr()[r];
      int ie = a.indptr()[r + 1];
      int j = b.indptr()[r];
      int je = b.indptr()[r + 1];
      while (i < ie || j < je) {
        int x = i < ie ? a.indices()[i] : Integer.MAX_VALUE;
        int y = j < je ? b.indices()[j] : Integer.MAX_VALUE;
        if (x <= y) {
          idx[n++] = x;
          i++;
          if (x == y) {
            j++;
          }
        } else {
          idx[n++] = y;
          j++;
        }
      }
      ptr[r + 1] = n;
    }
    return new CsrMatrix(rows, a.cols(), ptr, Arrays.copyOf(idx, n), null);
  }
}
