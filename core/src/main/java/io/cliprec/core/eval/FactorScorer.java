package io.cliprec.core.eval;

import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;

/**
 * A dot-product model: score(u, i) = userFactors(target)[u] &middot; itemFactors()[i]. The evaluator and the
 * server use a fused multiply + top-K kernel for these instead of materialising all scores.
 */
public interface FactorScorer extends Scorer {
  /** User representations {@code [numUsers, d]} for predicting {@code target}. */
  FloatMatrix userFactors(Split target);

  /** Item representations {@code [numItems, d]}. */
  FloatMatrix itemFactors();

  @Override
  default int numUsers() {
    return userFactors(Split.TEST).rows();
  }

  @Override
  default int numItems() {
    return itemFactors().rows();
  }

  @Override
  default void score(int[] users, Split target, float[] out) {
    FloatMatrix u = userFactors(target);
    FloatMatrix v = itemFactors();
    int d = v.cols();
    int n = v.rows();
    float[] ud = u.data();
    float[] vd = v.data();
    for (int b = 0; b < users.length; b++) {
      int uo = users[b] * d;
      for (int i = 0; i < n; i++) {
        float s = 0f;
        int io = i * d;
        for (int k = 0; k < d; k++) {
          s += ud[uo + k] * vd[io + k];
        }
        out[b * n + i] = s;
      }
    }
  }
}
