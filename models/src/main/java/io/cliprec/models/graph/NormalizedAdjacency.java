package io.cliprec.models.graph;

import io.cliprec.core.data.CsrMatrix;

/**
 * {@code Â = D^-1/2 A D^-1/2} over the bipartite graph of {@code numUsers + numItems} nodes (users first,
 * item {@code i} is node {@code numUsers + i}); {@code A} has a 1 for every distinct training (u, i) pair in
 * both directions, {@code D} the node degrees (+1e-7 like MMRec, so isolated nodes get no NaN). Values are
 * computed in double and stored as float, as MMRec's scipy → FloatTensor path does. Symmetric.
 */
public final class NormalizedAdjacency {
  private NormalizedAdjacency() {}

  /** @param ui binary user × item training matrix {@code [numUsers, numItems]} */
  public static CsrMatrix build(CsrMatrix ui) {
    int nu = ui.rows();
    int ni = ui.cols();
    int n = nu + ni;
    CsrMatrix iu = ui.transpose();
    double[] inv = new double[n];
    for (int u = 0; u < nu; u++) {
      inv[u] = Math.pow(ui.rowLength(u) + 1e-7, -0.5);
    }
    for (int i = 0; i < ni; i++) {
      inv[nu + i] = Math.pow(iu.rowLength(i) + 1e-7, -0.5);
    }
    int nnz = 2 * ui.nnz();
    int[] ptr = new int[n + 1];
    int[] idx = new int[nnz];
    float[] val = new float[nnz];
    int k = 0;
    for (int u = 0; u < nu; u++) {
      ptr[u] = k;
      for (int p = ui.indptr()[u]; p < ui.indptr()[u + 1]; p++) {
        int c = nu + ui.indices()[p];
        idx[k] = c;
        val[k] = (float) (inv[u] * inv[c]);
        k++;
      }
    }
    for (int i = 0; i < ni; i++) {
      int r = nu + i;
      ptr[r] = k;
      for (int p = iu.indptr()[i]; p < iu.indptr()[i + 1]; p++) {
        int c = iu.indices()[p];
        idx[k] = c;
        val[k] = (float) (inv[r] * inv[c]);
        k++;
      }
    }
    ptr[n] = k;
    return new CsrMatrix(n, n, ptr, idx, val);
  }
}
