package io.cliprec.models.mm;

import io.cliprec.models.train.Parallel;
import java.util.SplittableRandom;

/**
 * Dense kernels for linear layers {@code Y = X·W + b} with {@code X [n, in]}, {@code W [in, out]} (stored
 * input-major, i.e. the transpose of torch's {@code nn.Linear.weight}), {@code b [out]}, and the inits
 * MMRec's models use. All arrays row-major.
 */
final class Dense {
  private Dense() {}

  /** {@code y[n, out] = x[n, in] · w[in, out] + b} (b may be null); rows in parallel. */
  static void linear(float[] x, int n, int in, float[] w, float[] b, int out, float[] y, Parallel par) {
    par.forRange(n, (from, to) -> {
      for (int r = from; r < to; r++) {
        int yo = r * out;
        if (b != null) {
          System.arraycopy(b, 0, y, yo, out);
        } else {
          java.util.Arrays.fill(y, yo, yo + out, 0f);
        }
        int xo = r * in;
        for (int k = 0; k < in; k++) {
          float xv = x[xo + k];
          if (xv == 0f) {
            continue;
          }
          int wo = k * out;
          for (int c = 0; c < out; c++) {
            y[yo + c] += xv * w[wo + c];
          }
        }
      }
    });
  }

  /**
   * Backward of {@link #linear} given {@code gy [n, out]}: {@code gw[in, out] += xᵀ·gy},
   * {@code gb[out] += Σ_rows gy} (gb may be null), {@code gx[n, in] += gy·wᵀ} (gx may be null). Rows
   * of gy that are all zero are skipped.
   */
  static void linearBackward(float[] x, int n, int in, float[] w, int out, float[] gy, float[] gw,
      float[] gb, float[] gx, Parallel par) {
    int[] live = new int[n];
    int m = 0;
    for (int r = 0; r < n; r++) {
      int o = r * out;
      for (int c = 0; c < out; c++) {
        if (gy[o + c] != 0f) {
          live[m++] = r;
          break;
        }
      }
    }
    int count = m;
    if (gb != null) {
      for (int t = 0; t < count; t++) {
        int o = live[t] * out;
        for (int c = 0; c < out; c++) {
          gb[c] += gy[o + c];
        }
      }
    }
    // gw: parallel over input rows k (each thread owns rows of gw)
    par.forRange(in, (from, to) -> {
      for (int t = 0; t < count; t++) {
        int r = live[t];
        int xo = r * in;
        int go = r * out;
        for (int k = from; k < to; k++) {
          float xv = x[xo + k];
          if (xv == 0f) {
            continue;
          }
          int wo = k * out;
          for (int c = 0; c < out; c++) {
            gw[wo + c] += xv * gy[go + c];
          }
        }
      }
    });
    if (gx != null) {
      par.forRange(count, (from, to) -> {
        for (int t = from; t < to; t++) {
          int r = live[t];
          int go = r * out;
          int xo = r * in;
          for (int k = 0; k < in; k++) {
            int wo = k * out;
            float s = 0f;
            for (int c = 0; c < out; c++) {
              s += gy[go + c] * w[wo + c];
            }
            gx[xo + k] += s;
          }
        }
      });
    }
  }

  /** torch's default {@code nn.Linear} init: weight and bias U(-1/sqrt(in), 1/sqrt(in)). */
  static void torchLinearInit(float[] w, float[] b, int in, SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    if (b != null) {
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
      }
    }
  }

  /** {@code xavier_normal_} on a {@code [rows, cols]} tensor: std sqrt(2/(rows+cols)). */
  static void xavierNormal(float[] a, int off, int rows, int cols, SplittableRandom rng) {
    double std = Math.sqrt(2.0 / (rows + cols));
    for (int i = 0; i < rows * cols; i++) {
      a[off + i] = (float) (rng.nextGaussian() * std);
    }
  }

  /** {@code xavier_uniform_} on a {@code [rows, cols]} tensor: U(±sqrt(6/(rows+cols))). */
  static void xavierUniform(float[] a, int off, int rows, int cols, SplittableRandom rng) {
    double bound = Math.sqrt(6.0 / (rows + cols));
    for (int i = 0; i < rows * cols; i++) {
      a[off + i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }

  /** Dot product of {@code d} floats at offsets (double accumulation). */
  static double dot(float[] a, int ao, float[] b, int bo, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) {
      s += (double) a[ao + c] * b[bo + c];
    }
    return s;
  }

  /** {@code log σ(x)}, stable. */
  static double logSigmoid(double x) {
    return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }
}
