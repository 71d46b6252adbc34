package io.cliprec.pretrain.cpmm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.cliprec.models.train.NdScalars;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CPMM's projection heads ({@code CPMM_main.py class CPMM}). Each {@code MLP(c, r)} is
 * {@code BatchNorm1d(Linear(c r -> c r)(ReLU(Linear(c -> c r)(x))))}; a head maps a view as
 *
 * <pre>
 *   out = normalize( P2(P1(normalize(x + std N(0,1)))) + P3(x) )        [B, dim]
 * </pre>
 *
 * where P1 = MLP(in -> dim), P2 = MLP(dim -> dim), P3 = MLP(in -> dim) is the residual skip on the raw
 * input (the reference's {@code clip_project3}: itself Linear-ReLU-Linear-BN). Image and text share one
 * set of heads ({@code clip_project, clip_project2, clip_project3}, both live in CLIP space); the ID view
 * has its own ({@code ids_project, fuse_project2, ids_project3}). Init as PyTorch's defaults: Linear
 * weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), BN (1, 0), running (0, 1); BN momentum 0.1,
 * eps 1e-5, biased batch variance for normalising and unbiased for the running variance.
 *
 * <p>Parameters live in one flat array ({@link #params()}); {@link #leaves} wraps them as autograd leaves.
 * BN running statistics are plain Java state updated on every training-mode call. Not thread-safe.
 */
public final class CpmmHeads {
  /** MLP indices: shared modality heads, then the ID heads. */
  static final int CLIP1 = 0;
  static final int CLIP2 = 1;
  static final int CLIP3 = 2;
  static final int IDS1 = 3;
  static final int IDS2 = 4;
  static final int IDS3 = 5;
  private static final int PER_MLP = 6;
  private static final float BN_EPS = 1e-5f;
  private static final float BN_MOMENTUM = 0.1f;

  private final int in;
  private final int dim;
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Integer> offsets = new ArrayList<>();
  private final float[] params;
  private final float[][] runMean = new float[6][];
  private final float[][] runVar = new float[6][];

  /**
   * @param in input feature width (image, text and ID views must share it; CPMM: 512)
   * @param dim output width (CPMM: 128)
   */
  public CpmmHeads(int in, int dim) {
    if (in <= 0 || dim <= 0) {
      throw new IllegalArgumentException("widths must be positive");
    }
    this.in = in;
    this.dim = dim;
    int off = 0;
    for (int k = 0; k < 6; k++) {
      int c = (k == CLIP2 || k == IDS2) ? dim : in;
      off = add(new Shape(dim, c), off);
      off = add(new Shape(dim), off);
      off = add(new Shape(dim, dim), off);
      off = add(new Shape(dim), off);
      off = add(new Shape(dim), off); // BN gamma
      off = add(new Shape(dim), off); // BN beta
      runMean[k] = new float[dim];
      runVar[k] = new float[dim];
      java.util.Arrays.fill(runVar[k], 1f);
    }
    params = new float[off];
  }

  private int add(Shape s, int off) {
    shapes.add(s);
    offsets.add(off);
    return off + Math.toIntExact(s.size());
  }

  public int inputDim() {
    return in;
  }

  public int dim() {
    return dim;
  }

  public float[] params() {
    return params;
  }

  /** PyTorch default init (see class doc), seeded. */
  public void init(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < 6; k++) {
      int base = k * PER_MLP;
      int fanIn1 = Math.toIntExact(shapes.get(base).get(1));
      uniform(base, 1.0 / Math.sqrt(fanIn1), rng);
      uniform(base + 1, 1.0 / Math.sqrt(fanIn1), rng);
      uniform(base + 2, 1.0 / Math.sqrt(dim), rng);
      uniform(base + 3, 1.0 / Math.sqrt(dim), rng);
      fill(base + 4, 1f);
      fill(base + 5, 0f);
    }
  }

  private void uniform(int t, double bound, SplittableRandom rng) {
    int off = offsets.get(t);
    int n = Math.toIntExact(shapes.get(t).size());
    for (int k = 0; k < n; k++) {
      params[off + k] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }

  private void fill(int t, float v) {
    int off = offsets.get(t);
    java.util.Arrays.fill(params, off, off + Math.toIntExact(shapes.get(t).size()), v);
  }

  /** The parameters as NDArrays in {@code m} ({@code grad}: autograd leaves). */
  public NDArray[] leaves(NDManager m, boolean grad) {
    NDArray[] p = new NDArray[shapes.size()];
    for (int t = 0; t < p.length; t++) {
      int off = offsets.get(t);
      int n = Math.toIntExact(shapes.get(t).size());
      float[] buf = new float[n];
      System.arraycopy(params, off, buf, 0, n);
      p[t] = m.create(buf, shapes.get(t));
      if (grad) {
        p[t].setRequiresGradient(true);
      }
    }
    return p;
  }

  /** Smallest squared row norm before the output normalisation, since {@link #resetStats}. */
  private double minOutNorm = Double.POSITIVE_INFINITY;
  /** Smallest batch-norm batch variance, since {@link #resetStats}. */
  private double minBatchVar = Double.POSITIVE_INFINITY;

  /** Copy of the batch-norm running means and variances (to undo a skipped step's update). */
  public float[][] runningStats() {
    float[][] s = new float[12][];
    for (int k = 0; k < 6; k++) {
      s[k] = runMean[k].clone();
      s[6 + k] = runVar[k].clone();
    }
    return s;
  }

  /** Restores a {@link #runningStats} copy. */
  public void restoreRunningStats(float[][] s) {
    for (int k = 0; k < 6; k++) {
      System.arraycopy(s[k], 0, runMean[k], 0, dim);
      System.arraycopy(s[6 + k], 0, runVar[k], 0, dim);
    }
  }

  /** Starts a new window for {@link #stats}. */
  public void resetStats() {
    minOutNorm = Double.POSITIVE_INFINITY;
    minBatchVar = Double.POSITIVE_INFINITY;
  }

  /** Numerical health of the training-mode calls since {@link #resetStats} (for error messages). */
  public String stats() {
    return String.format(java.util.Locale.ROOT, "min squared output norm before normalisation %.3g, "
        + "min batch-norm batch variance %.3g", minOutNorm, minBatchVar);
  }

  /** Tensor names in {@link #params()} order ({@code clip.p1.linear1.weight}, ..., {@code id.p3.bn.bias}). */
  public List<String> names() {
    String[] heads = {"clip.p1", "clip.p2", "clip.p3", "id.p1", "id.p2", "id.p3"};
    String[] parts = {"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "bn.weight",
        "bn.bias"};
    List<String> names = new ArrayList<>(offsets.size());
    for (int t = 0; t < offsets.size(); t++) {
      names.add(heads[t / PER_MLP] + "." + parts[t % PER_MLP]);
    }
    return names;
  }

  /** Start of tensor {@code t} in {@link #params()}. */
  public int offset(int t) {
    return offsets.get(t);
  }

  /** Leaf gradients flattened in {@link #params()} layout. */
  public float[] gradients(NDArray[] p) {
    float[] g = new float[params.length];
    for (int t = 0; t < p.length; t++) {
      NDArray gr = p[t].getGradient();
      if (gr != null) {
        float[] v = gr.toFloatArray();
        System.arraycopy(v, 0, g, offsets.get(t), v.length);
      }
    }
    return g;
  }

  /**
   * Projects one view.
   *
   * @param raw {@code [B, in]} raw features (the residual input)
   * @param noisy {@code [B, in]} raw + noise (training) or raw (inference); normalised here
   * @param id true for the ID heads, false for the shared image/text heads
   * @param train batch statistics (and running-stat updates) instead of running statistics
   * @return {@code [B, dim]}, rows L2-normalised
   */
  public NDArray project(NDArray[] p, NDArray raw, NDArray noisy, boolean id, boolean train) {
    int h1 = id ? IDS1 : CLIP1;
    int h2 = id ? IDS2 : CLIP2;
    int h3 = id ? IDS3 : CLIP3;
    NDArray a = mlp(p, h2, mlp(p, h1, normalize(noisy), train), train);
    NDArray out = a.add(mlp(p, h3, raw, train));
    if (train) {
      minOutNorm = Math.min(minOutNorm, out.square().sum(new int[] {1}).min().getFloat());
    }
    return normalize(out);
  }

  private NDArray mlp(NDArray[] p, int k, NDArray x, boolean train) {
    int b = k * PER_MLP;
    NDArray h = NdScalars.maximum(Linear.linear(x, p[b], p[b + 1]).singletonOrThrow(), 0f);
    h = Linear.linear(h, p[b + 2], p[b + 3]).singletonOrThrow();
    NDArray mean;
    NDArray var;
    if (train) {
      long n = h.getShape().get(0);
      mean = h.mean(new int[] {0});
      NDArray centred = h.sub(mean);
      var = centred.square().mean(new int[] {0});
      float[] bm = mean.toFloatArray();
      float[] bv = var.toFloatArray();
      for (float v : bv) {
        minBatchVar = Math.min(minBatchVar, v);
      }
      float unbias = n > 1 ? (float) n / (n - 1) : 1f;
      for (int c = 0; c < dim; c++) {
        runMean[k][c] = (1 - BN_MOMENTUM) * runMean[k][c] + BN_MOMENTUM * bm[c];
        runVar[k][c] = (1 - BN_MOMENTUM) * runVar[k][c] + BN_MOMENTUM * bv[c] * unbias;
      }
      h = centred;
    } else {
      NDManager m = h.getManager();
      mean = m.create(runMean[k]);
      var = m.create(runVar[k]);
      h = h.sub(mean);
    }
    return h.div(var.add(BN_EPS).sqrt()).mul(p[b + 4]).add(p[b + 5]);
  }

  /**
   * {@code F.normalize}: rows divided by max(||row||, 1e-12). The norm is sqrt(max(Σx², 1e-24)), which
   * has the same value and, unlike sqrt(Σx²), a finite gradient at an all-zero row (PyTorch's norm
   * backward is defined as 0 there; a plain sqrt's is inf · 0 = NaN).
   */
  static NDArray normalize(NDArray x) {
    NDArray n = NdScalars.maximum(x.square().sum(new int[] {1}, true), 1e-24f).sqrt();
    return x.div(n);
  }
}
