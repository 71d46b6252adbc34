package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.util.Arrays;
import java.util.Map;

/**
 * Global temporal split by time quantiles: with all timestamps sorted, {@code c1} is the value at
 * position {@code floor(n * train)} and {@code c2} at {@code floor(n * (train + valid))}; rows with
 * {@code t < c1} are train, {@code c1 <= t < c2} valid, {@code t >= c2} test. Rows sharing a timestamp
 * always land in the same split, so with many ties the parts can be smaller than the ratios. Needs
 * timestamps. Deterministic (seed ignored). LEAVE_ONE_OUT data becomes {@link Protocol#MMREC}.
 */
public final class TemporalSplitter implements Splitter {
  public static final String NAME = "temporal";
  private final double train;
  private final double valid;

  public TemporalSplitter() {
    this(0.8, 0.1, 0.1);
  }

  public TemporalSplitter(double train, double valid, double test) {
    double sum = train + valid + test;
    if (train < 0 || valid < 0 || test < 0 || sum <= 0) {
      throw new IllegalArgumentException("split ratios must be non-negative with a positive sum");
    }
    this.train = train / sum;
    this.valid = valid / sum;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Dataset split(Dataset whole, long seed) {
    Interactions all = whole.allRows();
    if (!all.hasTimestamps()) {
      throw new IllegalArgumentException("dataset '" + whole.name()
          + "' has no timestamps: the temporal split needs them (use split=ratio or loo)");
    }
    int n = all.size();
    long[] sorted = new long[n];
    for (int r = 0; r < n; r++) {
      sorted[r] = all.timestamp(r);
    }
    Arrays.sort(sorted);
    long c1 = cut(sorted, train);
    long c2 = cut(sorted, train + valid);
    byte[] code = new byte[n];
    for (int r = 0; r < n; r++) {
      long t = all.timestamp(r);
      code[r] = (byte) (t < c1 ? 0 : t < c2 ? 1 : 2);
    }
    Protocol p = whole.protocol() == Protocol.LEAVE_ONE_OUT ? Protocol.MMREC : whole.protocol();
    return SplitSupport.build(whole, all, code, p, NAME, seed,
        Map.of("split.cut1", Long.toString(c1), "split.cut2", Long.toString(c2)));
  }

  /** The timestamp at quantile {@code q} of {@code sorted}; beyond the end: {@link Long#MAX_VALUE}. */
  private static long cut(long[] sorted, double q) {
    long p = (long) (sorted.length * q + 1e-9);
    return p >= sorted.length ? Long.MAX_VALUE : sorted[(int) p];
  }
}
