package io.cliprec.core.eval;

/**
 * A pointwise (click-through-rate) model: the click probability of given (user, item) pairs. Unlike
 * {@link Scorer} it does not rank the whole catalogue; {@link CtrMetrics#evaluate} turns its predictions on
 * a labelled split into AUC and LogLoss. Implementations must be thread-safe for concurrent calls with
 * distinct output arrays.
 */
public interface PairScorer {
  /**
   * Fills {@code out[k]} with the predicted click probability (in [0, 1]) of user {@code users[k]} on item
   * {@code items[k]}.
   *
   * @param users dense user indices, length n
   * @param items dense item indices, length n
   * @param out probabilities, length &ge; n
   */
  void predict(int[] users, int[] items, float[] out);
}
