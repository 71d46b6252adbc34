package io.cliprec.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Finds NaN / infinite values in a flat parameter-layout array (gradients, weights) and names the tensors
 * that hold them, so that a diverging run stops with a message saying where, before the optimiser spreads
 * the damage to every weight.
 */
public final class NonFinite {
  private NonFinite() {}

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
