package io.cliprec.core.eval;

/**
 * Click-through-rate metrics over (score, 0/1 label) pairs.
 *
 * <ul>
 *   <li>{@link #auc}: ROC AUC by the Mann&ndash;Whitney rank statistic with tied scores given their
 *       average rank, {@code (&Sigma; rank(pos) - P(P+1)/2) / (P &middot; N)}; equals sklearn
 *       {@code roc_auc_score} (trapezoidal ROC, which scores ties as 1/2) and RecBole {@code AUC}
 *       ({@code recbole/evaluator/metrics.py}, same rank formula).
 *   <li>{@link #logLoss}: mean binary cross-entropy {@code -(y log p + (1-y) log(1-p))} with p clipped to
 *       {@code [1e-7, 1 - 1e-7]} (sklearn {@code log_loss} with eps 1e-7; RecBole {@code LogLoss} clips
 *       likewise).
 * </ul>
 */
public final class CtrMetrics {
  /** Clipping for {@link #logLoss}. */
  public static final double EPS = 1e-7;
  /** Metric names as written to run.json. */
  public static final String AUC = "AUC";
  public static final String LOG_LOSS = "LogLoss";

  private CtrMetrics() {}

  /**
   * Whether a smaller value of {@code metric} is better ({@link #LOG_LOSS}); every other metric cliprec
   * reports (AUC, Recall, NDCG, HR, ...) is higher-is-better.
   */
  public static boolean lowerIsBetter(String metric) {
    return LOG_LOSS.equals(metric);
  }

  /**
   * ROC AUC; labels &gt; 0 are positives. NaN when only one class is present.
   *
   * @param scores predicted scores, length n (any monotone scale)
   * @param labels 0/1 labels, length n
   */
  public static double auc(float[] scores, float[] labels) {
    int n = scores.length;
    if (labels.length != n) {
      throw new IllegalArgumentException("scores/labels length mismatch " + n + " vs " + labels.length);
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("NaN score at " + i);
      }
      keys[i] = ((long) TopKSelector.sortable(scores[i]) << 32) | i;
    }
    java.util.Arrays.sort(keys);
    long pos = 0;
    double rankSumPos = 0;
    int i = 0;
    while (i < n) {
      int hi = (int) (keys[i] >> 32);
      int j = i;
      int posInRun = 0;
      while (j < n && (int) (keys[j] >> 32) == hi) {
        if (labels[(int) keys[j]] > 0) {
          posInRun++;
        }
        j++;
      }
      double avgRank = (i + 1 + j) / 2.0; // ranks i+1 .. j
      rankSumPos += avgRank * posInRun;
      pos += posInRun;
      i = j;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * AUC and LogLoss of {@code model} on the labelled rows of split {@code s} ({@link #AUC},
   * {@link #LOG_LOSS}); the whole split is scored at once (a global AUC, not a mean over batches).
   *
   * @throws IllegalArgumentException when the split has no labels or no rows
   */
  public static EvalResult evaluate(io.cliprec.core.data.Dataset data, io.cliprec.core.data.Split s,
      PairScorer model) {
    long t0 = System.nanoTime();
    io.cliprec.core.data.Interactions rows = data.split(s);
    if (!rows.hasLabels() || rows.size() == 0) {
      throw new IllegalArgumentException("the " + s.name().toLowerCase(java.util.Locale.ROOT)
          + " split of " + data.name() + " has " + (rows.size() == 0 ? "no rows" : "no click labels")
          + ": CTR evaluation needs labelled rows");
    }
    int n = rows.size();
    float[] p = new float[n];
    model.predict(rows.usersArray(), rows.itemsArray(), p);
    float[] y = new float[n];
    java.util.Set<Integer> users = new java.util.HashSet<>();
    for (int r = 0; r < n; r++) {
      y[r] = rows.label(r);
      users.add(rows.user(r));
    }
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put(AUC, auc(p, y));
    m.put(LOG_LOSS, logLoss(p, y));
    return new EvalResult(m, users.size(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Mean log loss of probabilities.
   *
   * @param probs predicted click probabilities in [0, 1], length n
   * @param labels 0/1 labels, length n
   */
  public static double logLoss(float[] probs, float[] labels) {
    int n = probs.length;
    if (labels.length != n) {
      throw new IllegalArgumentException("probs/labels length mismatch " + n + " vs " + labels.length);
    }
    if (n == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double p = Math.min(1 - EPS, Math.max(EPS, probs[i]));
      sum += labels[i] > 0 ? -Math.log(p) : -Math.log(1 - p);
    }
    return sum / n;
  }
}
