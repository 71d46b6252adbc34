package io.cliprec.models.mm;

import io.cliprec.models.train.Parallel;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense kernels for linear layers {@code Y = X·W + b} with {@code X [n, in]}, {@code W [in, out]} (stored
 * input-major, i.e. the transpose of torch's {@code nn.Linear.weight}), {@code b [out]}, and the inits
 * MMRec's models use. All arrays row-major.
 */
public final class Dense {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private Dense() {}

  /** {@code y[n, out] = x[n, in] · w[in, out] + b} (b may be null); rows in parallel. */
  public static void linear(float[] x, int n, int in, float[] w, float[] b, int out, float[] y, Parallel par) {
    int blocks = (n + 3) / 4;
    par.forRange(blocks, (from, to) -> {
      for (int blk = from; blk < to; blk++) {
        linearRows(x, Math.min(n, blk * 4 + 4), blk * 4, in, w, b, out, y);
      }
    });
  }

  /**
   * Rows {@code r0 .. min(r0+4, end)} of {@link #linear}: four rows share every load of W (Vector API
   * fma over the output columns; rows past {@code end} are computed on a copy of the last row and dropped).
   */
  private static void linearRows(float[] x, int end, int r0, int in, float[] w, float[] b, int out,
      float[] y) {
    int x0 = r0 * in;
    int x1 = Math.min(r0 + 1, end - 1) * in;
    int x2 = Math.min(r0 + 2, end - 1) * in;
    int x3 = Math.min(r0 + 3, end - 1) * in;
    int lanes = S.length();
    int c = 0;
    for (; c < S.loopBound(out); c += lanes) {
      FloatVector a0 = b == null ? FloatVector.zero(S) : FloatVector.fromArray(S, b, c);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int k = 0; k < in; k++) {
        FloatVector wv = FloatVector.fromArray(S, w, k * out + c);
        a0 = wv.fma(FloatVector.broadcast(S, x[x0 + k]), a0);
        a1 = wv.fma(FloatVector.broadcast(S, x[x1 + k]), a1);
        a2 = wv.fma(FloatVector.broadcast(S, x[x2 + k]), a2);
        a3 = wv.fma(FloatVector.broadcast(S, x[x3 + k]), a3);
      }
      a0.intoArray(y, r0 * out + c);
      if (r0 + 1 < end) {
        a1.intoArray(y, (r0 + 1) * out + c);
      }
      if (r0 + 2 < end) {
        a2.intoArray(y, (r0 + 2) * out + c);
      }
      if (r0 + 3 < end) {
        a3.intoArray(y, (r0 + 3) * out + c);
      }
    }
    for (; c < out; c++) {
      for (int r = r0; r < end; r++) {
        float s = b == null ? 0f : b[c];
        for (int k = 0; k < in; k++) {
          s += x[r * in + k] * w[k * out + c];
        }
        y[r * out + c] = s;
      }
    }
  }

  /**
   * Backward of {@link #linear} given {@code gy [n, out]}: {@code gw[in, out] += xᵀ·gy},
   * {@code gb[out] += Σ_rows gy} (gb may be null), {@code gx[n, in] += gy·wᵀ} (gx may be null). Rows
   * of gy that are all zero are skipped.
   */
  public static void linearBackward(float[] x, int n, int in, float[] w, int out, float[] gy, float[] gw,
      float[] gb, float[] gx, Parallel par) {
    linearBackward(x, n, in, w, out, gy, gw, gb, gx, par, ROW_TILE);
  }

  /**
   * Rows of {@code x}/{@code gy} per tile of the {@code gw} accumulation: a tile's rows stay in cache while
   * every 4-row block of {@code gw} passes over them. The untiled order streamed all of {@code x} and
   * {@code gy} from memory once per block, which made the 12,101 × 384 → 128 backward of a LightGCN
   * plug-in memory-bound (see {@code bench/dense.sh}).
   */
  static final int ROW_TILE = 64;

  /**
   * {@link #linearBackward} with the row tile of the {@code gw} accumulation given ({@code rowTile >= n}:
   * one pass over all rows per block, the untiled order; for benchmarks). Same sums in the same order per
   * element of {@code gw} whatever the tile, so the result does not depend on it.
   */
  public static void linearBackward(float[] x, int n, int in, float[] w, int out, float[] gy, float[] gw,
      float[] gb, float[] gx, Parallel par, int rowTile) {
    if (rowTile <= 0) {
      throw new IllegalArgumentException("rowTile must be > 0, got " + rowTile);
    }
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
    // gw: parallel over blocks of 4 input rows k (each thread owns its rows of gw)
    int kBlocks = (in + 3) / 4;
    par.forRange(kBlocks, (from, to) -> {
      for (int t0 = 0; t0 < count; t0 += rowTile) {
        int t1 = (int) Math.min(count, (long) t0 + rowTile);
        for (int kb = from; kb < to; kb++) {
          gradWeightRows(x, in, out, gy, gw, live, t0, t1, kb * 4, Math.min(in, kb * 4 + 4));
        }
      }
    });
    if (gx != null) {
      par.forRange(count, (from, to) -> {
        for (int t = from; t < to; t++) {
          gradInputRow(gy, live[t] * out, w, in, out, gx, live[t] * in);
        }
      });
    }
  }

  /** {@code gx[xo + k] += gy[go .. go+out) · w[k, :]} for every k (Vector API dot products). */
  private static void gradInputRow(float[] gy, int go, float[] w, int in, int out, float[] gx, int xo) {
    int bound = S.loopBound(out);
    for (int k = 0; k < in; k++) {
      int wo = k * out;
      FloatVector acc = FloatVector.zero(S);
      int c = 0;
      for (; c < bound; c += S.length()) {
        acc = FloatVector.fromArray(S, gy, go + c).fma(FloatVector.fromArray(S, w, wo + c), acc);
      }
      float s = acc.reduceLanes(VectorOperators.ADD);
      for (; c < out; c++) {
        s += gy[go + c] * w[wo + c];
      }
      gx[xo + k] += s;
    }
  }

  /** {@code gw[k0..k1, :] += Σ_{t0 ≤ t < t1} x[live_t, k] gy[live_t, :]} with up to four k rows per pass. */
  private static void gradWeightRows(float[] x, int in, int out, float[] gy, float[] gw, int[] live,
      int t0, int t1, int k0, int k1) {
    int lanes = S.length();
    int c = 0;
    if (k1 - k0 == 4) {
      for (; c < S.loopBound(out); c += lanes) {
        FloatVector a0 = FloatVector.fromArray(S, gw, k0 * out + c);
        FloatVector a1 = FloatVector.fromArray(S, gw, (k0 + 1) * out + c);
        FloatVector a2 = FloatVector.fromArray(S, gw, (k0 + 2) * out + c);
        FloatVector a3 = FloatVector.fromArray(S, gw, (k0 + 3) * out + c);
        for (int t = t0; t < t1; t++) {
          int r = live[t];
          FloatVector g = FloatVector.fromArray(S, gy, r * out + c);
          int xo = r * in + k0;
          a0 = g.fma(FloatVector.broadcast(S, x[xo]), a0);
          a1 = g.fma(FloatVector.broadcast(S, x[xo + 1]), a1);
          a2 = g.fma(FloatVector.broadcast(S, x[xo + 2]), a2);
          a3 = g.fma(FloatVector.broadcast(S, x[xo + 3]), a3);
        }
        a0.intoArray(gw, k0 * out + c);
        a1.intoArray(gw, (k0 + 1) * out + c);
        a2.intoArray(gw, (k0 + 2) * out + c);
        a3.intoArray(gw, (k0 + 3) * out + c);
      }
    }
    for (int k = k0; k < k1; k++) {
      for (int cc = c; cc < out; cc++) {
        float s = gw[k * out + cc];
        for (int t = t0; t < t1; t++) {
          int r = live[t];
          s += x[r * in + k] * gy[r * out + cc];
        }
        gw[k * out + cc] = s;
      }
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

  /** Rows of {@code x [n, d]} divided by their L2 norm (zero rows stay zero). */
  public static float[] normalizeRows(float[] x, int n, int d) {
    float[] z = new float[n * d];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += (double) x[i * d + c] * x[i * d + c];
      }
      if (s > 0) {
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int c = 0; c < d; c++) {
          z[i * d + c] = x[i * d + c] * inv;
        }
      }
    }
    return z;
  }

  /** {@code xavier_normal_} on a {@code [rows, cols]} tensor: std sqrt(2/(rows+cols)). */
  static void xavierNormal(float[] a, int off, int rows, int cols, SplittableRandom rng) {
    double std = Math.sqrt(2.0 / (rows + cols));
    for (int i = 0; i < rows * cols; i++) {
      a[off + i] = (float) (rng.nextGaussian() * std);
    }
  }

  /** {@code xavier_uniform_} on a {@code [rows, cols]} tensor: U(±sqrt(6/(rows+cols))). */
  public static void xavierUniform(float[] a, int off, int rows, int cols, SplittableRandom rng) {
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
