package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;

/** Keeps the split that came with the file; fails when the source had none ({@code split=none}). */
public final class GivenSplitter implements Splitter {
  public static final String NAME = "given";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Dataset split(Dataset whole, long seed) {
    if ("none".equals(whole.meta().get("split"))) {
      throw new IllegalArgumentException("dataset '" + whole.name() + "' (" + whole.meta().get("source")
          + ") has no split of its own: choose split=loo, ratio or temporal");
    }
    return whole;
  }
}
