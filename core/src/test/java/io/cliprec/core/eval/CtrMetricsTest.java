package io.cliprec.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CtrMetricsTest {
  @Test
  void aucWithoutTies() {
    // scores .1(-) .4(+) .45(-) .8(+): .4>.1 yes, .4>.45 no, .8>.1 yes, .8>.45 yes -> 3/4 (sklearn 0.75)
    assertEquals(0.75, CtrMetrics.auc(new float[] {.1f, .4f, .45f, .8f}, new float[] {0, 1, 0, 1}), 1e-12);
  }

  @Test
  void aucTiesCountHalf() {
    // pos {0.5, 0.9}, neg {0.5, 0.1}: pairs 0.5vs0.5 tie = 1/2, 0.5>0.1, 0.9>0.5, 0.9>0.1 -> 3.5/4
    // average ranks: 0.1->1, 0.5,0.5->2.5, 0.9->4; pos rank sum 6.5 - 3 = 3.5; / 4
    assertEquals(0.875, CtrMetrics.auc(new float[] {.5f, .9f, .5f, .1f}, new float[] {1, 1, 0, 0}), 1e-12);
    // all tied -> 0.5
    assertEquals(0.5, CtrMetrics.auc(new float[] {2, 2, 2}, new float[] {1, 0, 0}), 1e-12);
    // -0.0 and 0.0 are the same score
    assertEquals(0.5, CtrMetrics.auc(new float[] {-0.0f, 0.0f}, new float[] {1, 0}), 1e-12);
  }

  @Test
  void aucOneClassIsNaN() {
    assertTrue(Double.isNaN(CtrMetrics.auc(new float[] {.1f, .2f}, new float[] {1, 1})));
  }

  @Test
  void logLossByHand() {
    // -(ln 0.8 + ln(1-0.3)) / 2
    double expect = -(Math.log(0.8f) + Math.log(1 - 0.3f)) / 2;
    assertEquals(expect, CtrMetrics.logLoss(new float[] {0.8f, 0.3f}, new float[] {1, 0}), 1e-12);
  }

  @Test
  void logLossClipsAtEps() {
    // p = 0 for a positive is clipped to 1e-7: loss = -ln(1e-7) = 16.118...
    assertEquals(-Math.log(1e-7), CtrMetrics.logLoss(new float[] {0f}, new float[] {1}), 1e-9);
    assertEquals(-Math.log(1e-7), CtrMetrics.logLoss(new float[] {1f}, new float[] {0}), 1e-6);
  }
}
