package io.cliprec.core.eval;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;

/** Full-ranking evaluation. STUB: the eval work replaces the body. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Ranks all items for every user with at least one {@code split} row, masks per {@code options.mask()},
   * and averages Recall, NDCG, Precision, MAP, HR, MRR at each K over those users. Ties broken by lower
   * item index first.
   */
  public static EvalResult evaluate(Dataset data, Split split, Scorer scorer, EvalOptions options) {
    throw new UnsupportedOperationException("Evaluator not implemented yet");
  }
}
