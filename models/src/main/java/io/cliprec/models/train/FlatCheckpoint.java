package io.cliprec.models.train;

import io.cliprec.core.config.Config;
import io.cliprec.models.TrainContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Per-epoch {@link Checkpoint}s of a DJL/PyTorch model whose weights are one flat float vector
 * ({@link FlatParams}) trained by one {@link Adam} (SASRec, DeepFM, xDeepFM). The generic layout holds the
 * vector as one row: {@code ego [1, P]}, {@code adam_m}/{@code adam_v} {@code [1, P]}, the best weights as
 * {@code best_item [1, P]} (with an empty {@code best_user [0, P]}); early-stopping counters and history
 * go to {@code state.json}.
 *
 * <p>Exact resume also needs every epoch's randomness to depend on (seed, epoch) only: batches and
 * negatives from a {@code SplittableRandom} of (seed, epoch), and PyTorch's global generator (dropout),
 * whose state cannot be saved, re-seeded with {@link #dropoutSeed} at every epoch start.
 */
public final class FlatCheckpoint {
  private FlatCheckpoint() {}

  /** PyTorch seed of epoch {@code epoch}'s dropout masks (epoch 1 keeps the seed itself). */
  public static int dropoutSeed(long seed, int epoch) {
    long s = seed + (epoch - 1) * 0x9E3779B97F4A7C15L;
    return (int) (s ^ (s >>> 32));
  }

  /**
   * A fresh state for epoch 0, or, with {@code ctx.resume()} and a checkpoint in
   * {@code ctx.checkpointDir()}, the saved one with its weights and Adam state restored into
   * {@code params} and {@code adam}. The state keeps {@code params} and {@code adam}'s moments by
   * reference, so {@link #save} writes their current values.
   *
   * @param model the model name the checkpoint must have been made by
   * @param used the full configuration of this run (recorded)
   * @throws IllegalArgumentException when the checkpoint was made by another model, seed, dataset or
   *     network size
   * @throws UncheckedIOException when the checkpoint cannot be read
   */
  public static Checkpoint.State start(TrainContext ctx, String model, Config used, float[] params,
      Adam adam) {
    return start(ctx, model, used, params, adam, null);
  }

  /**
   * As {@link #start(TrainContext, String, Config, float[], Adam)}; with {@code mayChange} non-null, a
   * resumed checkpoint must also have been made with the same configuration except the keys in
   * {@code mayChange} (e.g. {@code epochs}).
   *
   * @throws IllegalArgumentException also when the configuration differs elsewhere, naming the keys
   */
  public static Checkpoint.State start(TrainContext ctx, String model, Config used, float[] params,
      Adam adam, java.util.Set<String> mayChange) {
    Path dir = ctx.checkpointDir();
    String dataHash = ctx.dataset().contentHash();
    if (ctx.resume() && Checkpoint.exists(dir)) {
      Checkpoint.State st;
      try {
        st = Checkpoint.load(dir);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read checkpoint in " + dir, ex);
      }
      if (!model.equals(st.model) || st.seed != ctx.seed() || !dataHash.equals(st.dataHash)
          || st.ego.length != params.length) {
        throw new IllegalArgumentException("checkpoint in " + dir + " was made by another model, seed,"
            + " dataset or network size (" + st.model + ", seed " + st.seed + ", data " + st.dataHash
            + ", " + st.ego.length + " parameters)");
      }
      if (st.bestItem != null && st.bestItem.length != params.length) {
        throw new IllegalArgumentException("checkpoint in " + dir + ": best weights have the wrong size");
      }
      if (mayChange != null) {
        checkSameConfig(dir, Config.of(st.config), used, mayChange);
      }
      System.arraycopy(st.ego, 0, params, 0, params.length);
      adam.restore(st.adamM, st.adamV, st.adamStep);
      st.ego = params;
      st.adamM = adam.firstMoment();
      st.adamV = adam.secondMoment();
      st.config = used.asMap();
      return st;
    }
    Checkpoint.State st = new Checkpoint.State();
    st.model = model;
    st.seed = ctx.seed();
    st.dataHash = dataHash;
    st.config = used.asMap();
    st.dim = params.length;
    st.numUsers = 0;
    st.numItems = 1;
    st.ego = params;
    st.adamM = adam.firstMoment();
    st.adamV = adam.secondMoment();
    return st;
  }

  private static void checkSameConfig(Path dir, Config was, Config now, java.util.Set<String> mayChange) {
    java.util.Map<String, Object> a = new java.util.TreeMap<>(was.asMap());
    java.util.Map<String, Object> b = new java.util.TreeMap<>(now.asMap());
    a.keySet().removeAll(mayChange);
    b.keySet().removeAll(mayChange);
    if (a.equals(b)) {
      return;
    }
    java.util.List<String> diff = new java.util.ArrayList<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      if (!java.util.Objects.equals(a.get(k), b.get(k))) {
        diff.add(k + ": " + (a.containsKey(k) ? a.get(k) : "(unset)") + " -> "
            + (b.containsKey(k) ? b.get(k) : "(unset)"));
      }
    }
    throw new IllegalArgumentException("checkpoint in " + dir + " was made with another configuration ("
        + String.join(", ", diff) + "); only " + new java.util.TreeSet<>(mayChange) + " may change on --resume");
  }

  /**
   * Records the end of {@code epoch} in {@code st} and saves it atomically to {@code dir}; does nothing
   * when {@code dir} is null (no checkpoints).
   *
   * @param best the best weights so far ({@code [P]}, kept by reference) or null when none was chosen
   * @param curStep early-stopping counter: evaluations without improvement since the best
   * @throws UncheckedIOException when writing fails
   */
  public static void save(Path dir, Checkpoint.State st, int epoch, Adam adam, float[] best, int bestEpoch,
      double bestValid, int curStep, boolean stopped) {
    if (dir == null) {
      return;
    }
    st.epoch = epoch;
    st.adamStep = adam.step();
    st.bestItem = best;
    st.bestUser = best == null ? null : new float[0];
    st.bestEpoch = bestEpoch;
    st.bestValid = bestValid;
    st.curStep = curStep;
    st.stoppedEarly = stopped;
    try {
      Checkpoint.save(dir, st);
    } catch (IOException ex) {
      throw new UncheckedIOException("checkpoint I/O failed in " + dir, ex);
    }
  }
}
