package io.cliprec.core.eval;

import java.util.Arrays;

/**
 * Per-user top-K metrics summed over users, then averaged. Definitions (rel(j) = 1 when the item at
 * 1-based rank j is a target item, T = the user's distinct target items, hits@K = &Sigma;_{j&le;K} rel(j)):
 *
 * <ul>
 *   <li>{@code Recall@K = hits@K / |T|} (MMRec {@code src/utils/metrics.py recall_}).
 *   <li>{@code NDCG@K = (&Sigma;_{j&le;K} rel(j) / log2(j+1)) / (&Sigma;_{j&le;min(|T|,K)} 1 / log2(j+1))}
 *       (MMRec {@code ndcg_}: binary gain, ideal DCG over min(|T|, K)).
 *   <li>{@code Precision@K = hits@K / K} (MMRec {@code precision_}; K, not the list length, even when
 *       fewer than K items are rankable).
 *   <li>{@code MAP@K = (&Sigma;_{j&le;K} rel(j) &middot; hits@j / j) / min(|T|, K)} (MMRec {@code map_}).
 *   <li>{@code HR@K = 1 if hits@K &gt; 0 else 0} (RecBole {@code recbole/evaluator/metrics.py Hit}).
 *   <li>{@code MRR@K = 1 / (rank of the first hit) if it is &le; K else 0} (RecBole {@code MRR}).
 * </ul>
 *
 * <p>MMRec and RecBole agree on Recall, NDCG, Precision and MAP (same formulas); MMRec has no HR/MRR, and
 * MMRec rounds its printed values to 4 decimals (we do not round). MMRec counts |T| as test rows
 * (duplicate rows would count twice); here targets are distinct items.
 */
public final class RankingMetrics {
  /** Metric names in output order. */
  public static final String[] NAMES = {"Recall", "NDCG", "Precision", "MAP", "HR", "MRR"};

  private final int[] ks;
  private final int maxK;
  private final double[] discount;
  private final double[][] sums;
  private int users;

  /** @param ks cut-offs, each &ge; 1 */
  public RankingMetrics(int[] ks) {
    if (ks.length == 0) {
      throw new IllegalArgumentException("no K given");
    }
    for (int k : ks) {
      if (k < 1) {
        throw new IllegalArgumentException("K must be >= 1: " + k);
      }
    }
    this.ks = ks.clone();
    this.maxK = Arrays.stream(ks).max().getAsInt();
    discount = new double[maxK + 1];
    for (int j = 1; j <= maxK; j++) {
      discount[j] = 1.0 / (Math.log(j + 1) / Math.log(2));
    }
    sums = new double[NAMES.length][ks.length];
  }

  public int maxK() {
    return maxK;
  }

  /**
   * Adds one user.
   *
   * @param ranked recommended items, best first (length may be below max K)
   * @param targets the user's target items, sorted ascending and distinct, non-empty
   */
  public void add(int[] ranked, int[] targets) {
    int nt = targets.length;
    if (nt == 0) {
      throw new IllegalArgumentException("user without target items");
    }
    users++;
    int len = Math.min(ranked.length, maxK);
    int hits = 0;
    double dcg = 0;
    double ap = 0;
    int firstHit = 0; // 1-based, 0 = none
    int ki = 0;
    int[] order = sortedKs();
    // walk ranks 1..maxK, emitting each K in increasing order
    for (int j = 1; j <= maxK; j++) {
      if (j <= len && Arrays.binarySearch(targets, ranked[j - 1]) >= 0) {
        hits++;
        dcg += discount[j];
        ap += (double) hits / j;
        if (firstHit == 0) {
          firstHit = j;
        }
      }
      while (ki < order.length && ks[order[ki]] == j) {
        int c = order[ki];
        int k = ks[c];
        int ideal = Math.min(nt, k);
        double idcg = 0;
        for (int r = 1; r <= ideal; r++) {
          idcg += discount[r];
        }
        sums[0][c] += (double) hits / nt;
        sums[1][c] += dcg / idcg;
        sums[2][c] += (double) hits / k;
        sums[3][c] += ap / ideal;
        sums[4][c] += hits > 0 ? 1 : 0;
        sums[5][c] += firstHit > 0 ? 1.0 / firstHit : 0;
        ki++;
      }
    }
  }

  private int[] sortedKs() {
    Integer[] idx = new Integer[ks.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Integer.compare(ks[a], ks[b]));
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /** Users added so far. */
  public int users() {
    return users;
  }

  /** Metric name "Name@K" &rarr; mean over users (NaN when no user was added), in {@link #NAMES} order. */
  public java.util.Map<String, Double> means() {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (int m = 0; m < NAMES.length; m++) {
      for (int c = 0; c < ks.length; c++) {
        out.put(NAMES[m] + "@" + ks[c], users == 0 ? Double.NaN : sums[m][c] / users);
      }
    }
    return out;
  }
}
