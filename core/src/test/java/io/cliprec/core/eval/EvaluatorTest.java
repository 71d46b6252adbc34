package io.cliprec.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Tiny dataset, 3 users x 5 items, every user scores items 0 > 1 > 2 > 3 > 4 (d = 1).
 * train: u0 {0,1}, u1 {2}, u2 {0}; valid: u0 {2}, u1 {3}; test: u0 {3}, u1 {4} (u2 has no test row).
 */
class EvaluatorTest {
  private static final double E = 1e-12;

  static Interactions rows(int[] u, int[] i) {
    return new Interactions(u, i, null, null, null);
  }

  static Dataset tiny() {
    return new Dataset("tiny", IdIndex.identity(3), IdIndex.identity(5),
        rows(new int[] {0, 0, 1, 2}, new int[] {0, 1, 2, 0}),
        rows(new int[] {0, 1}, new int[] {2, 3}),
        rows(new int[] {0, 1}, new int[] {3, 4}), Protocol.MMREC, Map.of());
  }

  static FactorScorer factors(FloatMatrix u, FloatMatrix v) {
    return new FactorScorer() {
      @Override
      public FloatMatrix userFactors(Split target) {
        return u;
      }

      @Override
      public FloatMatrix itemFactors() {
        return v;
      }
    };
  }

  static FactorScorer descending() {
    return factors(new FloatMatrix(3, 1, new float[] {1, 1, 1}),
        new FloatMatrix(5, 1, new float[] {5, 4, 3, 2, 1}));
  }

  /** The same scores through the generic path. */
  static Scorer generic(FactorScorer f) {
    return new Scorer() {
      @Override
      public int numUsers() {
        return f.numUsers();
      }

      @Override
      public int numItems() {
        return f.numItems();
      }

      @Override
      public void score(int[] users, Split target, float[] out) {
        f.score(users, target, out);
      }
    };
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  static EvalResult eval(Scorer s, Split split, MaskPolicy m) {
    return Evaluator.evaluate(tiny(), split, s,
        EvalOptions.defaults().withKs(1, 2, 4).withMask(m).withThreads(2));
  }

  @Test
  void trainMaskOnTest() {
    // u0: mask {0,1} -> ranking 2,3,4: target 3 at rank 2. u1: mask {2} -> 0,1,3,4: target 4 at rank 4.
    for (Scorer s : new Scorer[] {descending(), generic(descending())}) {
      EvalResult r = eval(s, Split.TEST, MaskPolicy.TRAIN);
      assertEquals(2, r.users());
      assertEquals(0.0, r.get("Recall@1"), E);
      assertEquals(0.0, r.get("HR@1"), E);
      assertEquals(0.5, r.get("Recall@2"), E);
      assertEquals((1 / log2(3)) / 2, r.get("NDCG@2"), E);
      assertEquals(0.25, r.get("Precision@2"), E);
      assertEquals(0.25, r.get("MAP@2"), E); // u0: P(2)=1/2 / min(1,2)
      assertEquals(0.25, r.get("MRR@2"), E);
      assertEquals(1.0, r.get("Recall@4"), E);
      assertEquals((1 / log2(3) + 1 / log2(5)) / 2, r.get("NDCG@4"), E);
      assertEquals(0.25, r.get("Precision@4"), E);
      assertEquals((0.5 + 0.25) / 2, r.get("MAP@4"), E);
      assertEquals(1.0, r.get("HR@4"), E);
      assertEquals((0.5 + 0.25) / 2, r.get("MRR@4"), E);
    }
  }

  @Test
  void historyMaskOnTestAlsoMasksValid() {
    // u0: mask {0,1,2} -> 3,4: target at rank 1. u1: mask {2,3} -> 0,1,4: target at rank 3.
    for (Scorer s : new Scorer[] {descending(), generic(descending())}) {
      EvalResult r = eval(s, Split.TEST, MaskPolicy.HISTORY);
      assertEquals(0.5, r.get("Recall@1"), E);
      assertEquals(0.5, r.get("NDCG@1"), E);
      assertEquals(0.5, r.get("Recall@2"), E);
      assertEquals(1.0, r.get("Recall@4"), E);
      assertEquals((1 + 1 / log2(4)) / 2, r.get("NDCG@4"), E);
      assertEquals((1 + 1.0 / 3) / 2, r.get("MRR@4"), E);
      assertEquals((1 + 1.0 / 3) / 2, r.get("MAP@4"), E);
    }
  }

  @Test
  void noMask() {
    // u0: target 3 at rank 4; u1: target 4 at rank 5 (outside K=4)
    EvalResult r = eval(descending(), Split.TEST, MaskPolicy.NONE);
    assertEquals(0.0, r.get("Recall@2"), E);
    assertEquals(0.5, r.get("Recall@4"), E);
    assertEquals(0.25 / 2, r.get("MRR@4"), E);
    assertEquals(0.5, r.get("HR@4"), E);
  }

  @Test
  void validTargetMasksTrainOnly() {
    // valid: u0 {2} after mask {0,1} -> rank 1; u1 {3} after mask {2} -> 0,1,3 -> rank 3
    for (MaskPolicy m : new MaskPolicy[] {MaskPolicy.TRAIN, MaskPolicy.HISTORY}) {
      EvalResult r = eval(descending(), Split.VALID, m);
      assertEquals(2, r.users());
      assertEquals(0.5, r.get("Recall@1"), E);
      assertEquals(0.5, r.get("Recall@2"), E);
      assertEquals(1.0, r.get("Recall@4"), E);
      assertEquals((1 + 1.0 / 3) / 2, r.get("MRR@4"), E);
    }
  }

  @Test
  void ctrNegativesAreNotTargets() {
    // test rows with labels: u0 item 3 (1), u1 item 4 (0), u2 item 1 (0) -> only u0 evaluated
    Interactions test = new Interactions(new int[] {0, 1, 2}, new int[] {3, 4, 1}, null, null,
        new float[] {1, 0, 0});
    Dataset d = new Dataset("ctr", IdIndex.identity(3), IdIndex.identity(5),
        rows(new int[] {0, 0}, new int[] {0, 1}), Interactions.empty(), test, Protocol.CTR, Map.of());
    EvalResult r = Evaluator.evaluate(d, Split.TEST, descending(),
        EvalOptions.defaults().withKs(1));
    assertEquals(1, r.users());
    assertEquals(0.0, r.get("Recall@1"), E); // u0 ranking 2,3,4: item 3 at rank 2
  }

  @Test
  void tiesInScorerBreakByIndex() {
    // all scores equal: ranking is 0,1,2,3,4 minus mask
    FactorScorer flat = factors(new FloatMatrix(3, 2), new FloatMatrix(5, 2));
    for (Scorer s : new Scorer[] {flat, generic(flat)}) {
      EvalResult r = eval(s, Split.TEST, MaskPolicy.TRAIN);
      // u0: 2,3,4 -> target 3 rank 2; u1: 0,1,3,4 -> target 4 rank 4 (same as descending)
      assertEquals(0.25, r.get("MRR@2"), E);
      assertEquals((0.5 + 0.25) / 2, r.get("MRR@4"), E);
    }
  }

  @Test
  void fusedAndGenericPathsAgreeOnRandomData() {
    SplittableRandom r = new SplittableRandom(3);
    int nu = 150;
    int ni = 400;
    int[] tu = new int[1200];
    int[] ti = new int[1200];
    for (int j = 0; j < tu.length; j++) {
      tu[j] = r.nextInt(nu);
      ti[j] = r.nextInt(ni);
    }
    int[] su = new int[300];
    int[] si = new int[300];
    for (int j = 0; j < su.length; j++) {
      su[j] = r.nextInt(nu);
      si[j] = r.nextInt(ni);
    }
    Dataset d = new Dataset("rand", IdIndex.identity(nu), IdIndex.identity(ni), rows(tu, ti),
        Interactions.empty(), rows(su, si), Protocol.MMREC, Map.of());
    // small integers: exact sums, so the default (non-fma) Scorer.score gives identical scores + ties
    FactorScorer f = factors(TopKTest.random(r, nu, 16, true), TopKTest.random(r, ni, 16, true));
    EvalOptions o = EvalOptions.defaults().withThreads(2);
    EvalResult a = Evaluator.evaluate(d, Split.TEST, f, o);
    EvalResult b = Evaluator.evaluate(d, Split.TEST, generic(f), o);
    assertEquals(a.metrics(), b.metrics());
    // and against the naive reference for the whole metric set
    CsrMatrix target = d.matrix(Split.TEST);
    RankingMetrics ref = new RankingMetrics(o.ks());
    for (int u = 0; u < nu; u++) {
      if (target.rowLength(u) > 0) {
        ref.add(TopKTest.naive(f.userFactors(Split.TEST), u, f.itemFactors(),
            d.trainMatrix().row(u), 50), target.row(u));
      }
    }
    assertEquals(ref.means(), a.metrics());
    assertEquals(ref.users(), a.users());
  }

  @Test
  void unionOfMasks() {
    CsrMatrix a = CsrMatrix.binary(2, 6, new int[] {0, 0, 1}, new int[] {1, 4, 0}, null);
    CsrMatrix b = CsrMatrix.binary(2, 6, new int[] {0, 0, 1}, new int[] {4, 5, 2}, null);
    CsrMatrix c = Evaluator.union(a, b);
    assertArrayEquals(new int[] {1, 4, 5}, c.row(0));
    assertArrayEquals(new int[] {0, 2}, c.row(1));
  }
}
