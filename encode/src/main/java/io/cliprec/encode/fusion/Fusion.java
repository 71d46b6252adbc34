package io.cliprec.encode.fusion;

import java.util.Locale;

/**
 * Fixed (encode-time) fusion of the V text views of each item into one text vector.
 *
 * <ul>
 *   <li>{@link #SUM}: {@code t_i = sum_k t_ik}, shape {@code [N, D]}.
 *   <li>{@link #CONCAT}: {@code t_i = [t_i1; ...; t_iV]}, shape {@code [N, V*D]}.
 *   <li>{@link #ATTENTION}: {@code a_ik = softmax_k(s_ik)}, {@code t_i = sum_k a_ik t_ik}, shape
 *       {@code [N, D]}; needs the similarities {@code s [N, V]} (CLIP image and text in one space).
 * </ul>
 * Trainable fusions (an MLP, a learnable attention) are input layers of the backbones, not encode-time
 * transforms.
 */
public enum Fusion {
  SUM,
  CONCAT,
  ATTENTION;

  /** Parses {@code sum|concat|attention} (case-insensitive). */
  public static Fusion parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fusion '" + s + "' (sum, concat, attention)");
    }
  }

  /** Whether this fusion needs per-view similarities. */
  public boolean needsSimilarity() {
    return this == ATTENTION;
  }

  /** Output width for V views of width D. */
  public int outputDim(int v, int d) {
    return this == CONCAT ? v * d : d;
  }

  /**
   * @param views {@code [V, N, D]} row-major
   * @param sim {@code [N, V]} row-major (required for {@link #ATTENTION}, ignored otherwise)
   * @return {@code [N, outputDim(V, D)]} row-major
   */
  public float[] apply(float[] views, int v, int n, int d, float[] sim) {
    if (views.length != (long) v * n * d) {
      throw new IllegalArgumentException("views length " + views.length + " != V*N*D");
    }
    int od = outputDim(v, d);
    float[] out = new float[n * od];
    switch (this) {
      case SUM:
        for (int k = 0; k < v; k++) {
          for (int i = 0; i < n; i++) {
            int src = (k * n + i) * d;
            for (int c = 0; c < d; c++) {
              out[i * d + c] += views[src + c];
            }
          }
        }
        break;
      case CONCAT:
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < v; k++) {
            System.arraycopy(views, (k * n + i) * d, out, i * od + k * d, d);
          }
        }
        break;
      default:
        if (sim == null || sim.length != n * v) {
          throw new IllegalArgumentException("attention fusion needs similarities [N, V]");
        }
        float[] w = softmaxRows(sim, n, v);
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < v; k++) {
            float a = w[i * v + k];
            int src = (k * n + i) * d;
            for (int c = 0; c < d; c++) {
              out[i * d + c] += a * views[src + c];
            }
          }
        }
    }
    return out;
  }

  /** Row-wise softmax of a {@code [n, v]} row-major matrix (max-subtracted). */
  public static float[] softmaxRows(float[] s, int n, int v) {
    float[] w = new float[n * v];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, s[i * v + k]);
      }
      double z = 0;
      for (int k = 0; k < v; k++) {
        double e = Math.exp(s[i * v + k] - max);
        w[i * v + k] = (float) e;
        z += e;
      }
      for (int k = 0; k < v; k++) {
        w[i * v + k] = (float) (w[i * v + k] / z);
      }
    }
    return w;
  }
}
