package io.cliprec.core.eval;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cold-start breakdown of a full-ranking evaluation (MP4SR's motivation: items with few interactions).
 *
 * <p>A user of the target split is a cold case when every one of its target items has at most
 * {@code maxTrain} training interactions (distinct training users; valid/test rows never count). Under
 * leave-one-out each user has one target, so the cold cases are exactly the test (or valid) interactions
 * whose item is cold. The metrics are {@link Evaluator}'s, averaged over the cold cases only, same masking.
 *
 * <p>Keys ({@link #keyed}): {@code cold@N/HR@10}, {@code cold@N/NDCG@20}, ... for every metric, plus
 * {@code cold@N/users}, the number of cold cases (metrics are NaN when it is 0).
 */
public final class ColdStart {
  /** MP4SR-style default threshold: items with at most 5 training interactions. */
  public static final int DEFAULT_MAX_TRAIN = 5;

  private ColdStart() {}

  /** Training interactions per item: {@code [numItems]} column counts of the train matrix. */
  public static int[] trainCounts(Dataset data) {
    CsrMatrix tr = data.trainMatrix();
    int[] c = new int[data.numItems()];
    for (int k = 0; k < tr.indptr()[tr.rows()]; k++) {
      c[tr.indices()[k]]++;
    }
    return c;
  }

  /** Users (ascending) of {@code split} whose every target item has at most {@code maxTrain} training rows. */
  public static int[] coldUsers(Dataset data, Split split, int maxTrain) {
    if (maxTrain < 0) {
      throw new IllegalArgumentException("cold-start threshold must be >= 0, got " + maxTrain);
    }
    int[] counts = trainCounts(data);
    CsrMatrix t = data.matrix(split);
    int[] out = new int[t.rows()];
    int n = 0;
    for (int u = 0; u < t.rows(); u++) {
      if (t.rowLength(u) == 0) {
        continue;
      }
      boolean cold = true;
      for (int i : t.row(u)) {
        cold &= counts[i] <= maxTrain;
      }
      if (cold) {
        out[n++] = u;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** {@link Evaluator#evaluate} over the cold cases of {@code split}. */
  public static EvalResult evaluate(Dataset data, Split split, Scorer scorer, EvalOptions options,
      int maxTrain) {
    return Evaluator.evaluate(data, split, scorer, options, coldUsers(data, split, maxTrain));
  }

  /** {@code r}'s metrics under {@code cold@N/} keys plus {@code cold@N/users}. */
  public static Map<String, Double> keyed(EvalResult r, int maxTrain) {
    Map<String, Double> out = new LinkedHashMap<>();
    String pre = "cold@" + maxTrain + "/";
    for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
      out.put(pre + e.getKey(), e.getValue());
    }
    out.put(pre + "users", (double) r.users());
    return out;
  }
}
