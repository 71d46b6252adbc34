package io.cliprec.models.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.models.train.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LightGcnPropagationTest {
  /** A small random bipartite graph, some isolated nodes included. */
  static CsrMatrix graph(int nu, int ni, int edges, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] u = new int[edges];
    int[] i = new int[edges];
    for (int k = 0; k < edges; k++) {
      u[k] = r.nextInt(nu - 1); // last user isolated
      i[k] = r.nextInt(ni);
    }
    return CsrMatrix.binary(nu, ni, u, i, null);
  }

  static double[][] dense(CsrMatrix a) {
    double[][] m = new double[a.rows()][a.cols()];
    for (int r = 0; r < a.rows(); r++) {
      for (int p = a.indptr()[r]; p < a.indptr()[r + 1]; p++) {
        m[r][a.indices()[p]] = a.values()[p];
      }
    }
    return m;
  }

  @Test
  void adjacencyIsSymmetricNormalised() {
    CsrMatrix ui = graph(9, 7, 30, 1);
    CsrMatrix a = NormalizedAdjacency.build(ui);
    double[][] m = dense(a);
    for (int r = 0; r < m.length; r++) {
      for (int c = 0; c < m.length; c++) {
        assertEquals(m[r][c], m[c][r], 0.0, "asymmetric at " + r + "," + c);
      }
    }
    int u = 0;
    int i = ui.row(0)[0];
    double expect = 1.0 / Math.sqrt((double) ui.rowLength(0) * ui.transpose().rowLength(i));
    assertEquals(expect, m[u][9 + i], 1e-6);
    assertEquals(0, a.rowLength(8), "isolated user has no edges");
  }

  /** Forward equals the dense reference; backward equals finite differences of sum(W ⊙ F(E0)). */
  @Test
  void forwardMatchesDenseAndBackwardMatchesFiniteDifferences() {
    int nu = 9;
    int ni = 7;
    int n = nu + ni;
    int d = 19; // not a multiple of the vector length: exercises the scalar tail
    CsrMatrix a = NormalizedAdjacency.build(graph(nu, ni, 30, 2));
    double[][] m = dense(a);
    SplittableRandom r = new SplittableRandom(5);
    float[] e0 = new float[n * d];
    float[] w = new float[n * d];
    for (int k = 0; k < e0.length; k++) {
      e0[k] = (float) r.nextGaussian();
      w[k] = (float) r.nextGaussian();
    }
    for (int layers : new int[] {0, 1, 2, 3}) {
      try (Parallel par = new Parallel(2)) {
        LightGcnPropagation op = new LightGcnPropagation(a, layers, 3);
        float[] f = new float[n * d];
        op.forward(e0, f, d, par);
        double[] ref = referenceForward(m, e0, n, d, layers);
        for (int k = 0; k < f.length; k++) {
          assertEquals(ref[k], f[k], 1e-5, "forward L=" + layers + " at " + k);
        }
        float[] g = new float[n * d];
        op.backward(w, g, d, par);
        double h = 1e-3;
        for (int k = 0; k < e0.length; k += 7) {
          double[] plus = referenceForward(m, bump(e0, k, h), n, d, layers);
          double[] minus = referenceForward(m, bump(e0, k, -h), n, d, layers);
          double fd = (dot(plus, w) - dot(minus, w)) / (2 * h);
          assertEquals(fd, g[k], 1e-3 * Math.max(1, Math.abs(fd)), "grad L=" + layers + " at " + k);
        }
      }
    }
  }

  private static float[] bump(float[] x, int k, double h) {
    float[] y = x.clone();
    y[k] += (float) h;
    return y;
  }

  private static double dot(double[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  private static double[] referenceForward(double[][] m, float[] e0, int n, int d, int layers) {
    double[] cur = new double[n * d];
    for (int k = 0; k < cur.length; k++) {
      cur[k] = e0[k];
    }
    double[] sum = cur.clone();
    for (int l = 0; l < layers; l++) {
      double[] next = new double[n * d];
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          if (m[r][c] != 0) {
            for (int j = 0; j < d; j++) {
              next[r * d + j] += m[r][c] * cur[c * d + j];
            }
          }
        }
      }
      for (int k = 0; k < sum.length; k++) {
        sum[k] += next[k];
      }
      cur = next;
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] /= layers + 1;
    }
    return sum;
  }
}
