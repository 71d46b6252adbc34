package io.cliprec.models.mp4sr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pre-training losses against plain-Java evaluations of the reference formulas on tiny tensors. */
class Mp4srLossTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static final double TAU = 0.07;

  static double[][] units(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        row[j] = r.nextDouble() * 2 - 1;
        s += row[j] * row[j];
      }
      for (int j = 0; j < d; j++) {
        row[j] /= Math.sqrt(s);
      }
    }
    return x;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  static NDArray nd(NDManager m, double[][] x) {
    float[] f = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        f[i * x[0].length + j] = (float) x[i][j];
      }
    }
    return m.create(f, new Shape(x.length, x[0].length));
  }

  /** The reference's next_item_pred_task with masked logits set to 0 (reference) or dropped (intended). */
  static double nipByHand(double[][] s, double[][] e, int[] tgt, boolean reference) {
    double loss = 0;
    for (int i = 0; i < s.length; i++) {
      double den = 0;
      for (int j = 0; j < s.length; j++) {
        boolean dup = j != i && tgt[j] == tgt[i];
        if (dup) {
          den += reference ? 1.0 : 0.0; // exp(0)
        } else {
          den += Math.exp(dot(s[i], e[j]) / TAU);
        }
      }
      loss += -Math.log(Math.exp(dot(s[i], e[i]) / TAU) / den);
    }
    return loss / s.length;
  }

  /** modality_contrastive_task: NT-Xent with the a anchor and the b anchor, averaged. */
  static double cmclByHand(double[][] a, double[][] b, int[] tgt, boolean reference, boolean refRows) {
    int n = a.length;
    double la = 0;
    double lb = 0;
    for (int i = 0; i < n; i++) {
      double pos = Math.exp(dot(a[i], b[i]) / TAU);
      double ab = 0;
      double ba = 0;
      double aa = 0;
      double bb = 0;
      for (int j = 0; j < n; j++) {
        boolean dup = j != i && tgt[j] == tgt[i];
        double zero = reference ? 1.0 : 0.0;
        ab += dup ? zero : Math.exp(dot(a[i], b[j]) / TAU);
        ba += dup ? zero : Math.exp(dot(b[i], a[j]) / TAU);
        if (j != i) {
          aa += dup ? zero : Math.exp(dot(a[i], a[j]) / TAU);
          bb += dup ? zero : Math.exp(dot(b[i], b[j]) / TAU);
        }
      }
      la += -Math.log(pos / (ab + aa));
      lb += -Math.log(pos / ((refRows ? ab : ba) + bb));
    }
    return (la / n + lb / n) / 2;
  }

  @Test
  void sameTargetMaskMarksOtherRowsWithTheSameTarget() {
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 1, 0, 0}, Mp4srLoss.sameTargetMask(new int[] {4, 7, 4}));
  }

  @Test
  void nipMatchesTheFormulaWithAndWithoutDuplicates() {
    double[][] s = units(5, 4, 1);
    double[][] e = units(5, 4, 2);
    int[][] targets = {{1, 2, 3, 4, 5}, {1, 2, 1, 4, 1}};
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      for (int[] t : targets) {
        float[] same = Mp4srLoss.sameTargetMask(t);
        for (boolean ref : new boolean[] {false, true}) {
          double got = Mp4srLoss.nip(m, nd(m, s), nd(m, e), same, TAU, ref).getFloat();
          assertEquals(nipByHand(s, e, t, ref), got, 1e-4, "targets " + java.util.Arrays.toString(t) + " ref " + ref);
        }
      }
    }
  }

  @Test
  void duplicateMaskingDiffersExactlyByTheExpZeroTerms() {
    // two sequences with the same next item and identical representations: intended masking removes the
    // other copy; the reference leaves exp(0) = 1 for it
    double[][] s = {{1, 0}, {1, 0}};
    double[][] e = {{1, 0}, {1, 0}};
    int[] t = {3, 3};
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      float[] same = Mp4srLoss.sameTargetMask(t);
      double intended = Mp4srLoss.nip(m, nd(m, s), nd(m, e), same, TAU, false).getFloat();
      double reference = Mp4srLoss.nip(m, nd(m, s), nd(m, e), same, TAU, true).getFloat();
      double pos = Math.exp(1 / TAU);
      assertEquals(0.0, intended, 1e-5); // the positive alone in the denominator
      assertEquals(-Math.log(pos / (pos + 1)), reference, 1e-5);
      double unmasked = Mp4srLoss.nip(m, nd(m, s), nd(m, e), new float[4], TAU, false).getFloat();
      assertEquals(Math.log(2), unmasked, 1e-5); // without masking: the duplicate is a full negative
    }
  }

  @Test
  void cmclMatchesTheFormulaInAllModes() {
    double[][] a = units(6, 3, 3);
    double[][] b = units(6, 3, 4);
    int[] t = {1, 2, 1, 3, 2, 9};
    float[] same = Mp4srLoss.sameTargetMask(t);
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      for (boolean ref : new boolean[] {false, true}) {
        for (boolean rows : new boolean[] {false, true}) {
          double got = Mp4srLoss.cmcl(m, nd(m, a), nd(m, b), same, TAU, ref, rows).getFloat();
          assertEquals(cmclByHand(a, b, t, ref, rows), got, 1e-4, "ref " + ref + " rows " + rows);
        }
      }
      double intended = Mp4srLoss.cmcl(m, nd(m, a), nd(m, b), same, TAU, false, false).getFloat();
      double reference = Mp4srLoss.cmcl(m, nd(m, a), nd(m, b), same, TAU, true, false).getFloat();
      assertTrue(reference != intended, "the two maskings must differ when targets repeat");
    }
  }
}
