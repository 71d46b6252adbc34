package io.cliprec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.graph.NormalizedAdjacency;
import io.cliprec.models.train.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Checks on the real amazon-baby data (skipped when ../shared/data is absent). */
class BabyDataTest {
  static Dataset baby() throws Exception {
    Path dir = Path.of(System.getProperty("cliprec.data", "../shared/data"));
    Assumptions.assumeTrue(Files.isDirectory(dir), dir + " (../shared/data) absent: skipping");
    Path f = dir.resolve("amazon-baby/baby.inter");
    Assumptions.assumeTrue(Files.isRegularFile(f), f + " absent: skipping");
    return TestData.readInter(f);
  }

  /** Â of the baby train graph is symmetric in the adjoint sense: ⟨P X, Y⟩ = ⟨X, P Y⟩ for propagation P. */
  @Test
  void propagationIsSelfAdjointOnBaby() throws Exception {
    Dataset data = baby();
    CsrMatrix a = NormalizedAdjacency.build(data.trainMatrix());
    assertEquals(data.numUsers() + data.numItems(), a.rows());
    assertEquals(2 * data.trainMatrix().nnz(), a.nnz());
    int d = 16;
    int n = a.rows();
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[n * d];
    float[] y = new float[n * d];
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) r.nextGaussian();
      y[k] = (float) r.nextGaussian();
    }
    try (Parallel par = new Parallel(2)) {
      LightGcnPropagation op = new LightGcnPropagation(a, 2, 16);
      float[] px = new float[n * d];
      float[] py = new float[n * d];
      op.forward(x, px, d, par);
      op.backward(y, py, d, par);
      double l = 0;
      double rr = 0;
      for (int k = 0; k < x.length; k++) {
        l += (double) px[k] * y[k];
        rr += (double) x[k] * py[k];
      }
      assertEquals(l, rr, 1e-4 * Math.abs(l) + 1e-2);
    }
  }

  /** Two BPR epochs on baby: the loss falls from ln 2 (no validation: a constant validator). */
  @Test
  void bprLossFallsOnBaby() throws Exception {
    Dataset data = baby();
    Recommender bpr = ModelRegistry.get("bpr");
    TrainedModel m = bpr.fit(TrainContext.of(data, bpr.defaults().merge(Config.of(Map.of("epochs", 2))))
        .withValidator((dd, s) -> 0.0));
    assertEquals(2, m.history().epochsRun());
    assertEquals(Math.log(2), m.history().loss().get(0), 1e-3);
    assertTrue(m.history().loss().get(1) < m.history().loss().get(0), m.history().loss()::toString);
  }
}
