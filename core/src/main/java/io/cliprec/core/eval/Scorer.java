package io.cliprec.core.eval;

import io.cliprec.core.data.Split;

/**
 * A trained model as the evaluator sees it: scores of every item for a batch of users. Higher is better.
 * Implementations must be thread-safe for concurrent calls with distinct output arrays.
 */
public interface Scorer {
  int numUsers();

  int numItems();

  /**
   * Fills {@code out[b * numItems() + i]} with the score of item {@code i} for user {@code users[b]}.
   *
   * @param users dense user indices, length B
   * @param target the split being predicted (sequential models read the history up to it)
   * @param out scores, length &ge; B &times; numItems()
   */
  void score(int[] users, Split target, float[] out);
}
