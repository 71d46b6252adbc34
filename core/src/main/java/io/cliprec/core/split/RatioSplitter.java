package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Per-user random ratio split, generalising MMRec's preprocessing rule
 * ({@code preprocessing/1splitting.ipynb} in enoche/MMRec): each user's rows are shuffled; a user with
 * fewer than {@code minRows} (default 10) rows gives one row to valid, one to test and the rest to
 * train; otherwise {@code held = floor(n * (valid + test))}, {@code valid = floor(held * valid /
 * (valid + test))}, {@code test = held - valid}, train the rest. With the default 0.8/0.1/0.1 this is
 * exactly MMRec's rule. Users with fewer than 3 rows keep at least one training row (1 row = train,
 * 2 rows = 1 train + 1 test).
 *
 * <p>Randomness: one {@link SplittableRandom}(seed), users visited in index order, a Fisher-Yates shuffle
 * of each user's rows (in source row order). Not bit-identical to pandas' shuffle, but the same rule and
 * therefore the same per-split counts. LEAVE_ONE_OUT data becomes {@link Protocol#MMREC}.
 */
public final class RatioSplitter implements Splitter {
  public static final String NAME = "ratio";
  private final double train;
  private final double valid;
  private final double test;
  private final int minRows;

  /** MMRec's default: 0.8 / 0.1 / 0.1, users with &lt; 10 rows get one valid and one test row. */
  public RatioSplitter() {
    this(0.8, 0.1, 0.1, 10);
  }

  /**
   * @param train train ratio (the three ratios are normalised to sum to 1)
   * @param valid valid ratio
   * @param test test ratio
   * @param minRows users with fewer rows use the one-valid-one-test rule (0 disables it)
   */
  public RatioSplitter(double train, double valid, double test, int minRows) {
    if (train < 0 || valid < 0 || test < 0 || train + valid + test <= 0) {
      throw new IllegalArgumentException("split ratios must be non-negative with a positive sum, got "
          + train + "/" + valid + "/" + test);
    }
    double sum = train + valid + test;
    if (Math.abs(sum - 1.0) > 1e-9) {
      train /= sum;
      valid /= sum;
      test /= sum;
    }
    this.train = train;
    this.valid = valid;
    this.test = test;
    this.minRows = minRows;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Dataset split(Dataset whole, long seed) {
    Interactions all = whole.allRows();
    UserGroups g = new UserGroups(all, whole.numUsers());
    byte[] code = new byte[all.size()];
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] rows = g.rows.clone();
    double held = valid + test;
    for (int u = 0; u < whole.numUsers(); u++) {
      int s = g.start[u];
      int n = g.start[u + 1] - s;
      for (int k = n - 1; k > 0; k--) {
        int j = rnd.nextInt(k + 1);
        int tmp = rows[s + k];
        rows[s + k] = rows[s + j];
        rows[s + j] = tmp;
      }
      int nValid;
      int nTest;
      if (n < 3) {
        nValid = 0;
        nTest = n == 2 && held > 0 ? 1 : 0;
      } else if (n < minRows) {
        nValid = valid > 0 ? 1 : 0;
        nTest = test > 0 ? 1 : 0;
      } else {
        int h = (int) (n * held);
        nValid = held == 0 ? 0 : (int) (h * (valid / held));
        nTest = h - nValid;
      }
      int nTrain = n - nValid - nTest;
      for (int k = 0; k < n; k++) {
        code[rows[s + k]] = (byte) (k < nTrain ? 0 : k < nTrain + nValid ? 1 : 2);
      }
    }
    Protocol p = whole.protocol() == Protocol.LEAVE_ONE_OUT ? Protocol.MMREC : whole.protocol();
    return SplitSupport.build(whole, all, code, p, NAME, seed,
        Map.of("split.ratio", train + "/" + valid + "/" + test, "split.min_rows", "" + minRows));
  }
}
