package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;

/**
 * Re-splits a dataset's rows into train / valid / test. The input's rows are taken in the order
 * train, valid, test ({@link Dataset#allRows()}); ids, item attributes and meta are kept, meta gains
 * {@code split=<name>} and {@code split.seed}. Implementations are deterministic for a given seed.
 */
public interface Splitter {
  /** Name used in config {@code split}: {@code given}, {@code loo}, {@code ratio}, {@code temporal}. */
  String name();

  /**
   * @param whole the dataset whose rows (all splits together) are re-split
   * @param seed random seed (ignored by deterministic splitters)
   */
  Dataset split(Dataset whole, long seed);
}
