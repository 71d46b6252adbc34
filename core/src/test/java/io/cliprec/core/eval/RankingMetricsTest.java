package io.cliprec.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every metric on small cases worked out by hand (formulas from MMRec / RecBole, see RankingMetrics). */
class RankingMetricsTest {
  private static final double E = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static Map<String, Double> one(int[] ranked, int[] targets, int... ks) {
    RankingMetrics m = new RankingMetrics(ks);
    m.add(ranked, targets);
    return m.means();
  }

  @Test
  void twoTargetsHitAtRanksOneAndThree() {
    // T = {1, 3}; ranked 3,0,1,2,4 -> rel = 1,0,1,0,0
    Map<String, Double> r = one(new int[] {3, 0, 1, 2, 4}, new int[] {1, 3}, 1, 3, 5);
    // K=1: 1 hit. recall 1/2, precision 1/1, dcg 1/log2(2) = 1 over idcg(min(2,1)=1) = 1,
    // AP = P(1)*1 / min(2,1) = 1, HR 1, MRR 1/1.
    assertEquals(0.5, r.get("Recall@1"), E);
    assertEquals(1.0, r.get("Precision@1"), E);
    assertEquals(1.0, r.get("NDCG@1"), E);
    assertEquals(1.0, r.get("MAP@1"), E);
    assertEquals(1.0, r.get("HR@1"), E);
    assertEquals(1.0, r.get("MRR@1"), E);
    // K=3: 2 hits. recall 2/2, precision 2/3, dcg = 1 + 1/log2(4) = 1.5,
    // idcg = 1 + 1/log2(3), AP = (1/1 + 2/3) / min(2,3) = 5/6.
    assertEquals(1.0, r.get("Recall@3"), E);
    assertEquals(2.0 / 3, r.get("Precision@3"), E);
    assertEquals(1.5 / (1 + 1 / log2(3)), r.get("NDCG@3"), E);
    assertEquals(5.0 / 6, r.get("MAP@3"), E);
    assertEquals(1.0, r.get("HR@3"), E);
    assertEquals(1.0, r.get("MRR@3"), E);
    // K=5: same hits; precision 2/5, NDCG and MAP unchanged (ideal length min(2,5) = 2)
    assertEquals(0.4, r.get("Precision@5"), E);
    assertEquals(1.5 / (1 + 1 / log2(3)), r.get("NDCG@5"), E);
    assertEquals(5.0 / 6, r.get("MAP@5"), E);
  }

  @Test
  void singleTargetAtRankFive() {
    // T = {4}; ranked 0..4 -> only rank 5 hits
    Map<String, Double> r = one(new int[] {0, 1, 2, 3, 4}, new int[] {4}, 1, 3, 5);
    for (String m : RankingMetrics.NAMES) {
      assertEquals(0.0, r.get(m + "@1"), E, m);
      assertEquals(0.0, r.get(m + "@3"), E, m);
    }
    assertEquals(1.0, r.get("Recall@5"), E);
    assertEquals(0.2, r.get("Precision@5"), E);
    assertEquals(1 / log2(6), r.get("NDCG@5"), E); // idcg = 1/log2(2) = 1
    assertEquals(0.2, r.get("MAP@5"), E); // P(5) = 1/5, / min(1,5)
    assertEquals(1.0, r.get("HR@5"), E);
    assertEquals(0.2, r.get("MRR@5"), E);
  }

  @Test
  void moreTargetsThanKAndShortList() {
    // T = {0..6} (7 targets), only 3 items rankable: ranked 5,9,6 -> rel = 1,0,1
    Map<String, Double> r = one(new int[] {5, 9, 6}, new int[] {0, 1, 2, 3, 4, 5, 6}, 3, 5);
    // K=3: recall 2/7, precision 2/3, dcg 1 + 1/2, idcg = 1 + 1/log2(3) + 1/2, AP = (1 + 2/3) / 3
    assertEquals(2.0 / 7, r.get("Recall@3"), E);
    assertEquals(2.0 / 3, r.get("Precision@3"), E);
    assertEquals(1.5 / (1 + 1 / log2(3) + 0.5), r.get("NDCG@3"), E);
    assertEquals((1 + 2.0 / 3) / 3, r.get("MAP@3"), E);
    // K=5: precision divides by K (MMRec), not by the list length; idcg over 5 ranks; AP / min(7,5)
    assertEquals(2.0 / 5, r.get("Precision@5"), E);
    double idcg5 = 1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5) + 1 / log2(6);
    assertEquals(1.5 / idcg5, r.get("NDCG@5"), E);
    assertEquals((1 + 2.0 / 3) / 5, r.get("MAP@5"), E);
    assertEquals(1.0, r.get("MRR@5"), E);
  }

  @Test
  void averagesOverUsersAndKeepsKeyOrder() {
    RankingMetrics m = new RankingMetrics(new int[] {2, 1});
    m.add(new int[] {7, 8}, new int[] {8}); // hit at rank 2
    m.add(new int[] {1, 2}, new int[] {5}); // no hit
    m.add(new int[] {5, 1}, new int[] {5}); // hit at rank 1
    Map<String, Double> r = m.means();
    assertEquals(3, m.users());
    assertEquals("Recall@2", r.keySet().iterator().next());
    assertEquals(2.0 / 3, r.get("Recall@2"), E);
    assertEquals(1.0 / 3, r.get("Recall@1"), E);
    assertEquals((0.5 + 0 + 1) / 3, r.get("MRR@2"), E);
    assertEquals((1 / log2(3) + 0 + 1) / 3, r.get("NDCG@2"), E);
    assertEquals((0.5 + 0 + 0.5) / 3, r.get("Precision@2"), E);
    assertEquals(2.0 / 3, r.get("HR@2"), E);
  }

  @Test
  void emptyAndInvalid() {
    assertTrue(new RankingMetrics(new int[] {5}).means().get("Recall@5").isNaN());
    assertThrows(IllegalArgumentException.class, () -> new RankingMetrics(new int[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> new RankingMetrics(new int[] {5}).add(new int[] {1}, new int[0]));
  }
}
