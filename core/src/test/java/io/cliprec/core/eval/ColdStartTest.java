package io.cliprec.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartTest {
  /**
   * 6 users, 4 items. Training counts: item 0 → 4 users, item 1 → 2, item 2 → 1, item 3 → 0.
   * Test targets: u0→3, u1→0, u2→2, u3→1, u4→0, u5 none. Valid: u0→1, u1→2.
   */
  static Dataset data() {
    Interactions train = new Interactions(new int[] {0, 1, 2, 3, 0, 4, 5}, new int[] {0, 0, 0, 0, 1, 1, 2},
        null, null, null);
    Interactions valid = new Interactions(new int[] {0, 1}, new int[] {1, 2}, null, null, null);
    Interactions test = new Interactions(new int[] {0, 1, 2, 3, 4}, new int[] {3, 0, 2, 1, 0}, null, null,
        null);
    return new Dataset("cold", IdIndex.identity(6), IdIndex.identity(4), train, valid, test,
        Protocol.LEAVE_ONE_OUT, Map.of());
  }

  @Test
  void countsTrainingInteractionsPerItem() {
    assertArrayEquals(new int[] {4, 2, 1, 0}, ColdStart.trainCounts(data()));
  }

  @Test
  void coldCasesAreTheTargetsWithFewTrainingInteractions() {
    Dataset d = data();
    assertArrayEquals(new int[] {0, 2}, ColdStart.coldUsers(d, Split.TEST, 1)); // items 3 (0) and 2 (1)
    assertArrayEquals(new int[] {0, 2, 3}, ColdStart.coldUsers(d, Split.TEST, 2)); // + item 1 (2)
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, ColdStart.coldUsers(d, Split.TEST, 5));
    assertArrayEquals(new int[] {0}, ColdStart.coldUsers(d, Split.TEST, 0));
    assertArrayEquals(new int[] {0, 1}, ColdStart.coldUsers(d, Split.VALID, 2));
    assertThrows(IllegalArgumentException.class, () -> ColdStart.coldUsers(d, Split.TEST, -1));
  }

  @Test
  void metricsAverageOverTheColdCasesOnly() {
    Dataset d = data();
    // every user ranks item 0 first, then 1, 2, 3 (scores 4, 3, 2, 1): nothing masked
    float[] u = new float[6];
    java.util.Arrays.fill(u, 1f);
    FactorScorer s = EvaluatorTest.factors(new FloatMatrix(6, 1, u), new FloatMatrix(4, 1,
        new float[] {4, 3, 2, 1}));
    EvalOptions o = EvalOptions.defaults().withKs(1, 3).withMask(MaskPolicy.NONE);
    EvalResult cold = ColdStart.evaluate(d, Split.TEST, s, o, 2);
    assertEquals(3, cold.users());
    // cold cases u0 (item 3, rank 4), u2 (item 2, rank 3), u3 (item 1, rank 2): HR@1 0, HR@3 2/3
    assertEquals(0.0, cold.get("HR@1"), 1e-12);
    assertEquals(2.0 / 3, cold.get("HR@3"), 1e-12);
    EvalResult all = Evaluator.evaluate(d, Split.TEST, s, o);
    assertEquals(5, all.users());
    assertEquals(2.0 / 5, all.get("HR@1"), 1e-12); // u1 and u4 hit item 0
    Map<String, Double> k = ColdStart.keyed(cold, 2);
    assertEquals(3.0, k.get("cold@2/users"));
    assertEquals(2.0 / 3, k.get("cold@2/HR@3"), 1e-12);
    assertTrue(k.keySet().stream().allMatch(x -> x.startsWith("cold@2/")));
    EvalResult none = ColdStart.evaluate(d, Split.VALID, s, o, 0);
    assertEquals(0, none.users());
    assertTrue(Double.isNaN(none.get("HR@1")));
  }
}
