package io.cliprec.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * Finds NaN / infinite values in a flat parameter-layout array (gradients, weights) and names the tensors
 * that hold them, so that a diverging run stops with a message saying where, before the optimiser spreads
 * the damage to every weight; {@link Guard} skips such a step instead, a bounded number of times.
 */
public final class NonFinite {
  private NonFinite() {}

  /** Config key of {@link Guard}'s limit (models and pre-trainers that use it document it in their YAML). */
  public static final String MAX_SKIPS_KEY = "max_nonfinite_steps";

  /**
   * Skips optimiser steps whose loss or gradient holds a NaN or an infinity, as PyTorch AMP's GradScaler
   * does: the step is not applied, a warning naming the epoch, batch and tensors goes to {@code warn}, and
   * the count is kept for run.json. More than {@code maxSkips} skipped steps in one run stop it with that
   * message ({@code maxSkips = 0}: stop at the first). Rare isolated non-finite steps have been seen in
   * long DJL/PyTorch CPU runs (SASRec on Beauty, CPMM on Beauty text views) without reproducing on a re-run
   * of the same seed; a diverging run produces them every step and still stops.
   */
  public static final class Guard {
    private final String what;
    private final int maxSkips;
    private final Consumer<String> warn;
    private int skipped;

    /**
     * @param what model name for messages ({@code SASRec}, {@code CPMM})
     * @param maxSkips skipped steps allowed per run
     * @param warn where warnings go (e.g. {@code System.err::println})
     */
    public Guard(String what, int maxSkips, Consumer<String> warn) {
      if (maxSkips < 0) {
        throw new IllegalArgumentException(MAX_SKIPS_KEY + " must be >= 0, got " + maxSkips);
      }
      this.what = what;
      this.maxSkips = maxSkips;
      this.warn = warn;
    }

    /**
     * @param where names the tensors holding non-finite gradients (called only when there are some)
     * @return true to apply the step; false when it must be skipped (warned and counted)
     * @throws IllegalStateException when more than {@code maxSkips} steps would have been skipped
     */
    public boolean accept(int epoch, int batch, float loss, float[] grad, Supplier<String> where) {
      boolean lossOk = Float.isFinite(loss);
      if (lossOk && all(grad)) {
        return true;
      }
      skipped++;
      String msg = what + ": non-finite " + (lossOk ? "gradient" : "loss (" + loss + ")") + " at epoch " + epoch
          + ", batch " + batch + (lossOk ? " (loss " + loss + ") in " + where.get() : "");
      if (skipped > maxSkips) {
        throw new IllegalStateException(msg + "; " + skipped + " such steps exceed " + MAX_SKIPS_KEY + "="
            + maxSkips + ", stopping");
      }
      warn.accept("warning: " + msg + "; step skipped (" + skipped + " of at most " + maxSkips + ")");
      return false;
    }

    /** Steps skipped so far. */
    public int skipped() {
      return skipped;
    }
  }

  /**
   * Names of the tensors of {@code values} holding a NaN or an infinity, each with its count.
   *
   * @param names tensor names in layout order
   * @param offset start of tensor {@code t} in {@code values} (tensors are contiguous, in order)
   * @return e.g. {@code ["layer0.query.weight (3 of 4096)"]}; empty when every value is finite
   */
  public static List<String> tensors(float[] values, List<String> names, IntUnaryOperator offset) {
    List<String> bad = new ArrayList<>();
    for (int t = 0; t < names.size(); t++) {
      int from = offset.applyAsInt(t);
      int to = t + 1 < names.size() ? offset.applyAsInt(t + 1) : values.length;
      int n = 0;
      for (int i = from; i < to; i++) {
        if (!Float.isFinite(values[i])) {
          n++;
        }
      }
      if (n > 0) {
        bad.add(names.get(t) + " (" + n + " of " + (to - from) + ")");
      }
    }
    return bad;
  }

  /** Whether every value is finite (a fast scan for the common case). */
  public static boolean all(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
