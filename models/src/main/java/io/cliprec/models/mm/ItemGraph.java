package io.cliprec.models.mm;

import io.cliprec.models.train.Parallel;

/**
 * A sparse item–item operator {@code M [n, n]} with exactly {@code width} stored entries per row (fixed
 * stride; duplicate columns add up): entry {@code e} of row {@code i} is column {@code cols[i*width+e]}
 * with value {@code vals[i*width+e]}. kNN graphs have this shape (k per row, or a sum of several).
 * {@link #mul} is parallel over rows; {@link #mulTransposedAdd} scatters sequentially (deterministic).
 */
final class ItemGraph {
  final int n;
  final int width;
  final int[] cols;
  final float[] vals;

  ItemGraph(int n, int width, int[] cols, float[] vals) {
    if (cols.length != n * width || vals.length != n * width) {
      throw new IllegalArgumentException("need n*width entries");
    }
    this.n = n;
    this.width = width;
    this.cols = cols;
    this.vals = vals;
  }

  /** {@code out[n, d] = M · x[n, d]} (out overwritten; must not alias x). */
  void mul(float[] x, float[] out, int d, Parallel par) {
    par.forRange(n, (from, to) -> {
      for (int i = from; i < to; i++) {
        int o = i * d;
        java.util.Arrays.fill(out, o, o + d, 0f);
        for (int e = i * width; e < (i + 1) * width; e++) {
          float v = vals[e];
          int xo = cols[e] * d;
          for (int c = 0; c < d; c++) {
            out[o + c] += v * x[xo + c];
          }
        }
      }
    });
  }

  /** {@code out[n, d] += Mᵀ · g[n, d]}. */
  void mulTransposedAdd(float[] g, float[] out, int d) {
    for (int i = 0; i < n; i++) {
      int go = i * d;
      for (int e = i * width; e < (i + 1) * width; e++) {
        float v = vals[e];
        int oo = cols[e] * d;
        for (int c = 0; c < d; c++) {
          out[oo + c] += v * g[go + c];
        }
      }
    }
  }
}
