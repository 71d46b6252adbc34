package io.cliprec.core.split;

import io.cliprec.core.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * Splitters by name. Config keys: {@code split} = {@code given | loo | ratio | temporal};
 * {@code split.ratio} = list of three numbers (default {@code [0.8, 0.1, 0.1]}, for ratio and
 * temporal); {@code split.min_rows} (ratio, default 10); {@code split.seed} (falls back to {@code seed},
 * then 42).
 */
public final class Splitters {
  /** Seed used when neither {@code split.seed} nor {@code seed} is configured. */
  public static final long DEFAULT_SEED = 42L;

  private Splitters() {}

  public static List<String> names() {
    return List.of(GivenSplitter.NAME, LeaveOneOutSplitter.NAME, RatioSplitter.NAME,
        TemporalSplitter.NAME);
  }

  /** The splitter {@code name} configured from {@code options}. */
  public static Splitter byName(String name, Config options) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    double[] r = ratios(options);
    switch (n) {
      case "given":
        return new GivenSplitter();
      case "loo":
      case "leave-one-out":
        return new LeaveOneOutSplitter();
      case "ratio":
      case "random":
        return new RatioSplitter(r[0], r[1], r[2], options.getInt("split.min_rows", 10));
      case "temporal":
      case "time":
        return new TemporalSplitter(r[0], r[1], r[2]);
      default:
        throw new IllegalArgumentException("unknown split '" + name + "'; known: " + names());
    }
  }

  /** The splitter named by config {@code split}, or {@code defaultName} when unset. */
  public static Splitter fromConfig(Config options, String defaultName) {
    return byName(options.getString("split", defaultName), options);
  }

  /** {@code split.seed}, else {@code seed}, else {@link #DEFAULT_SEED}. */
  public static long seed(Config options) {
    return options.getLong("split.seed", options.getLong("seed", DEFAULT_SEED));
  }

  static double[] ratios(Config options) {
    if (!options.has("split.ratio")) {
      return new double[] {0.8, 0.1, 0.1};
    }
    List<Object> l = options.getList("split.ratio");
    if (l.size() != 3) {
      throw new IllegalArgumentException("config key 'split.ratio' must list 3 numbers (train, valid, "
          + "test), got " + l);
    }
    double[] out = new double[3];
    for (int k = 0; k < 3; k++) {
      Object o = l.get(k);
      if (o instanceof Number) {
        out[k] = ((Number) o).doubleValue();
      } else {
        try {
          out[k] = Double.parseDouble(String.valueOf(o));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("config key 'split.ratio' must list numbers, got " + l);
        }
      }
    }
    return out;
  }
}
