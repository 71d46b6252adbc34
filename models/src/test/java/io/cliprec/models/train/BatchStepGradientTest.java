package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.graph.NormalizedAdjacency;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole batch gradient (DJL autograd on the BPR + EmbLoss loss, scatter, Java propagation backward)
 * against central finite differences of the MMRec loss computed independently in double.
 */
class BatchStepGradientTest {
  @Test
  void lightGcnBatchGradientMatchesFiniteDifferences() {
    for (int layers : new int[] {0, 2}) {
      check(layers, true);
      check(layers, false);
    }
  }

  private void check(int layers, boolean djl) {
    int nu = 6;
    int ni = 5;
    int n = nu + ni;
    int d = 8;
    float reg = 0.1f;
    SplittableRandom r = new SplittableRandom(11);
    int[] eu = new int[14];
    int[] ei = new int[14];
    for (int k = 0; k < eu.length; k++) {
      eu[k] = r.nextInt(nu);
      ei[k] = r.nextInt(ni);
    }
    CsrMatrix ui = CsrMatrix.binary(nu, ni, eu, ei, null);
    LightGcnPropagation op = new LightGcnPropagation(NormalizedAdjacency.build(ui), layers, 2);
    float[] ego = new float[n * d];
    for (int k = 0; k < ego.length; k++) {
      ego[k] = (float) (r.nextGaussian() * 0.5);
    }
    int[] us = {0, 3, 3, 5};
    int[] ps = {1, 0, 4, 2};
    int[] qs = {2, 3, 1, 2};
    PairSampler.Epoch e = new PairSampler.Epoch(us, ps, qs);
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager();
        Parallel par = new Parallel(1)) {
      boolean identity = op.isIdentity();
      EmbeddingTrainer.BatchStep step = new EmbeddingTrainer.BatchStep(base, d, reg, identity, djl);
      float[] fin = identity ? ego : new float[n * d];
      if (!identity) {
        op.forward(ego, fin, d, par);
      }
      float[] gFin = new float[n * d];
      float[] gEgo = identity ? gFin : new float[n * d];
      float loss = step.run(e, 0, us.length, nu, ego, fin, gFin, gEgo, op, par);
      assertEquals(loss(op, ego, nu, d, us, ps, qs, reg, par), loss, 1e-5);
      double h = 1e-2;
      for (int k = 0; k < ego.length; k++) {
        float[] plus = ego.clone();
        plus[k] += (float) h;
        float[] minus = ego.clone();
        minus[k] -= (float) h;
        double fd = (loss(op, plus, nu, d, us, ps, qs, reg, par)
            - loss(op, minus, nu, d, us, ps, qs, reg, par)) / (2 * h);
        assertEquals(fd, gEgo[k], 2e-3, "djl=" + djl + " L=" + layers + " d loss / d ego[" + k + "]");
      }
      // the scratch gradient is left all zero for the next batch
      if (identity) {
        step.clearRows(gEgo);
      }
      for (float g : gFin) {
        assertEquals(0f, g);
      }
    }
  }

  /** MMRec's loss in double: BPRLoss on final embeddings + reg · EmbLoss on ego rows. */
  private static double loss(LightGcnPropagation op, float[] ego, int nu, int d, int[] us, int[] ps,
      int[] qs, float reg, Parallel par) {
    return loss(op, ego, ego, nu, d, us, ps, qs, reg, par);
  }

  /**
   * The same with the propagation input {@code eff} (ego + plug-in rows) apart from the regularised ID
   * rows {@code ego} (CPMM CF/lightgcn.py: EmbLoss on item_embedding, not on the sum).
   */
  static double loss(LinearOp op, float[] eff, float[] ego, int nu, int d, int[] us, int[] ps,
      int[] qs, float reg, Parallel par) {
    float[] f = new float[ego.length];
    op.forward(eff, f, d, par);
    int b = us.length;
    double mf = 0;
    double nu2 = 0;
    double np2 = 0;
    double nq2 = 0;
    for (int k = 0; k < b; k++) {
      int u = us[k] * d;
      int p = (nu + ps[k]) * d;
      int q = (nu + qs[k]) * d;
      double x = 0;
      for (int c = 0; c < d; c++) {
        x += (double) f[u + c] * f[p + c] - (double) f[u + c] * f[q + c];
        nu2 += (double) ego[u + c] * ego[u + c];
        np2 += (double) ego[p + c] * ego[p + c];
        nq2 += (double) ego[q + c] * ego[q + c];
      }
      mf += -Math.log(1e-10 + 1 / (1 + Math.exp(-x)));
    }
    return mf / b + reg * (Math.sqrt(nu2) + Math.sqrt(np2) + Math.sqrt(nq2)) / b;
  }
}
