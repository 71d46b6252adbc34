package io.cliprec.models.graph;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.models.train.LinearOp;
import io.cliprec.models.train.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * LightGCN's propagation as a linear op on stacked ego embeddings {@code E0 [numUsers + numItems, d]}:
 * {@code forward: F = (1/(L+1)) Σ_{k=0..L} Â^k E0} and, since Â is symmetric,
 * {@code backward: ∂/∂E0 = (1/(L+1)) Σ_{k=0..L} Â^k G}. Each {@code Â·X} is a CSR row gather: row r of the
 * output is {@code Σ_j Â[r, j] · X[j]}, accumulated with a {@link FloatVector} axpy; rows are split into
 * nnz-balanced blocks run in parallel, each output row written by exactly one thread (deterministic for
 * any thread count). Holds two scratch buffers, so one instance must not be used by two threads at once.
 */
public final class LightGcnPropagation implements LinearOp {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private final CsrMatrix adj;
  private final int layers;
  private final int[] bounds;
  private float[] bufA;
  private float[] bufB;

  /**
   * @param adj the symmetric normalised adjacency (see {@link NormalizedAdjacency})
   * @param layers number of propagation layers L &ge; 0
   * @param blocks number of row blocks for parallel runs (e.g. 8 × threads)
   */
  public LightGcnPropagation(CsrMatrix adj, int layers, int blocks) {
    if (adj.rows() != adj.cols() || adj.values() == null) {
      throw new IllegalArgumentException("need a square weighted adjacency");
    }
    if (layers < 0) {
      throw new IllegalArgumentException("n_layers must be >= 0, got " + layers);
    }
    this.adj = adj;
    this.layers = layers;
    this.bounds = balancedBounds(adj, Math.max(1, blocks));
  }

  /** Row bounds of {@code blocks} blocks with about equal (nnz + rows) work each. */
  static int[] balancedBounds(CsrMatrix m, int blocks) {
    int n = m.rows();
    long total = (long) m.nnz() + n;
    int[] b = new int[blocks + 1];
    int r = 0;
    for (int k = 1; k < blocks; k++) {
      long target = total * k / blocks;
      while (r < n && (long) m.indptr()[r] + r < target) {
        r++;
      }
      b[k] = r;
    }
    b[blocks] = n;
    return b;
  }

  public int layers() {
    return layers;
  }

  public CsrMatrix adjacency() {
    return adj;
  }

  @Override
  public int rows() {
    return adj.rows();
  }

  @Override
  public boolean isIdentity() {
    return layers == 0;
  }

  @Override
  public void forward(float[] in, float[] out, int d, Parallel par) {
    propagate(in, out, d, par);
  }

  @Override
  public void backward(float[] gradOut, float[] gradIn, int d, Parallel par) {
    propagate(gradOut, gradIn, d, par); // Â is symmetric: the op is self-adjoint
  }

  /** {@code out = (1/(L+1)) Σ_k Â^k x}. */
  private void propagate(float[] x, float[] out, int d, Parallel par) {
    int len = adj.rows() * d;
    if (x.length < len || out.length < len) {
      throw new IllegalArgumentException("arrays shorter than [" + adj.rows() + ", " + d + "]");
    }
    System.arraycopy(x, 0, out, 0, len);
    if (layers == 0) {
      return;
    }
    if (bufA == null || bufA.length != len) {
      bufA = new float[len];
      bufB = new float[len];
    }
    float scale = 1f / (layers + 1);
    float[] cur = x;
    float[] next = bufA;
    for (int k = 1; k <= layers; k++) {
      float[] src = cur;
      float[] dst = next;
      boolean last = k == layers;
      par.forBounds(bounds, (from, to) -> spmmRows(src, dst, out, d, from, to, last ? scale : 1f));
      cur = next;
      next = next == bufA ? bufB : bufA;
    }
  }

  /**
   * For rows [from, to): {@code dst[r] = Σ_j Â[r,j] src[j]}, then {@code out[r] = (out[r] + dst[r]) * s}.
   */
  private void spmmRows(float[] src, float[] dst, float[] out, int d, int from, int to, float s) {
    int[] ptr = adj.indptr();
    int[] idx = adj.indices();
    float[] val = adj.values();
    int vecEnd = S.loopBound(d);
    int lanes = S.length();
    for (int r = from; r < to; r++) {
      int ro = r * d;
      for (int c = 0; c < d; c++) {
        dst[ro + c] = 0f;
      }
      for (int p = ptr[r]; p < ptr[r + 1]; p++) {
        float w = val[p];
        int co = idx[p] * d;
        FloatVector wv = FloatVector.broadcast(S, w);
        int c = 0;
        for (; c < vecEnd; c += lanes) {
          FloatVector acc = FloatVector.fromArray(S, dst, ro + c);
          FloatVector xv = FloatVector.fromArray(S, src, co + c);
          xv.fma(wv, acc).intoArray(dst, ro + c);
        }
        for (; c < d; c++) {
          dst[ro + c] = Math.fma(src[co + c], w, dst[ro + c]);
        }
      }
      if (s == 1f) {
        for (int c = 0; c < d; c++) {
          out[ro + c] += dst[ro + c];
        }
      } else {
        for (int c = 0; c < d; c++) {
          out[ro + c] = (out[ro + c] + dst[ro + c]) * s;
        }
      }
    }
  }
}
