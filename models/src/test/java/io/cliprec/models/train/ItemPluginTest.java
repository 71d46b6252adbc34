package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.graph.NormalizedAdjacency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CPMM plug-in for embedding models: forward rows against a hand computation, and the gradient of the
 * trainable projection / tables (through propagation) against central finite differences.
 */
class ItemPluginTest {
  private static final int NU = 6;
  private static final int NI = 5;
  private static final int D = 8;

  private static FloatMatrix random(int rows, int cols, SplittableRandom r) {
    float[] x = new float[rows * cols];
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) r.nextGaussian();
    }
    return new FloatMatrix(rows, cols, x);
  }

  private static ItemFeatures feats() {
    SplittableRandom r = new SplittableRandom(5);
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    m.put("image", random(NI, 12, r)); // wider than D: projected
    m.put("text", random(NI, D, r)); // as wide as D: a table
    return new ItemFeatures(m, Map.of());
  }

  @Test
  void frozenTablesAreAddedToItemRowsOnly() {
    ItemFeatures f = feats();
    Config cfg = Config.of(Map.of("plugin", List.of("text")));
    ItemPlugin p = ItemPlugin.create(cfg, f, NI, D, 1);
    assertTrue(p.isConstant());
    assertEquals(List.of("text:frozen"), p.describe());
    float[] ego = random(NU + NI, D, new SplittableRandom(2)).data();
    float[] eff = new float[ego.length];
    try (Parallel par = new Parallel(1)) {
      p.addTo(ego, eff, NU * D, par);
    }
    for (int k = 0; k < NU * D; k++) {
      assertEquals(ego[k], eff[k]);
    }
    for (int k = 0; k < NI * D; k++) {
      assertEquals(ego[NU * D + k] + f.get("text").data()[k], eff[NU * D + k], 1e-6);
    }
    assertNull(ItemPlugin.create(Config.of(Map.of("plugin", List.of())), null, NI, D, 1));
  }

  @Test
  void projectionForwardIsNormalisedRowsTimesWPlusB() {
    ItemFeatures f = feats();
    ItemPlugin p = ItemPlugin.create(Config.of(Map.of("plugin", "image")), f, NI, D, 3);
    assertEquals(List.of("image:linear(12->8)"), p.describe());
    float[] w = p.params();
    assertEquals(12 * D + D, w.length);
    for (int c = 0; c < D; c++) {
      w[12 * D + c] = 0.1f * c; // a non-zero bias
    }
    float[] ego = new float[(NU + NI) * D];
    float[] eff = new float[ego.length];
    try (Parallel par = new Parallel(2)) {
      p.addTo(ego, eff, NU * D, par);
    }
    float[] x = f.get("image").data();
    for (int i = 0; i < NI; i++) {
      double norm = 0;
      for (int k = 0; k < 12; k++) {
        norm += (double) x[i * 12 + k] * x[i * 12 + k];
      }
      norm = Math.sqrt(norm);
      for (int c = 0; c < D; c++) {
        double y = 0.1 * c;
        for (int k = 0; k < 12; k++) {
          y += x[i * 12 + k] / norm * w[k * D + c];
        }
        assertEquals(y, eff[(NU + i) * D + c], 1e-5, "row " + i + " col " + c);
      }
    }
    Config none = Config.of(Map.of("plugin", "image", "plugin_projection", "none"));
    assertThrows(IllegalArgumentException.class, () -> ItemPlugin.create(none, f, NI, D, 3));
    assertThrows(IllegalArgumentException.class,
        () -> ItemPlugin.create(Config.of(Map.of("plugin", "audio")), f, NI, D, 3));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (boolean djl : new boolean[] {false, true}) {
      check(djl);
    }
  }

  private void check(boolean djl) {
    float reg = 0.1f;
    SplittableRandom r = new SplittableRandom(11);
    int[] eu = new int[14];
    int[] ei = new int[14];
    for (int k = 0; k < eu.length; k++) {
      eu[k] = r.nextInt(NU);
      ei[k] = r.nextInt(NI);
    }
    CsrMatrix ui = CsrMatrix.binary(NU, NI, eu, ei, null);
    LightGcnPropagation op = new LightGcnPropagation(NormalizedAdjacency.build(ui), 2, 2);
    // image projected, text a trainable table (plugin_frozen false)
    Config cfg = Config.of(Map.of("plugin", List.of("image", "text"), "plugin_frozen", false));
    ItemPlugin plugin = ItemPlugin.create(cfg, feats(), NI, D, 7);
    assertEquals(List.of("image:linear(12->8)", "text:table"), plugin.describe());
    float[] params = plugin.params();
    for (int k = 0; k < params.length; k++) {
      params[k] += (float) (r.nextGaussian() * 0.2); // move off the init (bias != 0)
    }
    int n = NU + NI;
    float[] ego = new float[n * D];
    for (int k = 0; k < ego.length; k++) {
      ego[k] = (float) (r.nextGaussian() * 0.5);
    }
    int[] us = {0, 3, 3, 5};
    int[] ps = {1, 0, 4, 2};
    int[] qs = {2, 3, 1, 2};
    PairSampler.Epoch e = new PairSampler.Epoch(us, ps, qs);
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager();
        Parallel par = new Parallel(1)) {
      EmbeddingTrainer.BatchStep step = new EmbeddingTrainer.BatchStep(base, D, reg, false, djl);
      float[] gPlugin = new float[params.length];
      step.plugin(plugin, gPlugin);
      float[] eff = new float[n * D];
      float[] fin = new float[n * D];
      plugin.addTo(ego, eff, NU * D, par);
      op.forward(eff, fin, D, par);
      float[] gFin = new float[n * D];
      float[] gEgo = new float[n * D];
      float loss = step.run(e, 0, us.length, NU, ego, fin, gFin, gEgo, op, par);
      assertEquals(loss(op, plugin, ego, us, ps, qs, reg, par), loss, 1e-5);
      double h = 1e-2;
      for (int k = 0; k < ego.length; k++) {
        float[] plus = ego.clone();
        plus[k] += (float) h;
        float[] minus = ego.clone();
        minus[k] -= (float) h;
        double fd = (loss(op, plugin, plus, us, ps, qs, reg, par)
            - loss(op, plugin, minus, us, ps, qs, reg, par)) / (2 * h);
        assertEquals(fd, gEgo[k], 2e-3, "djl=" + djl + " d loss / d ego[" + k + "]");
      }
      double gradNorm = 0;
      for (int k = 0; k < params.length; k++) {
        float keep = params[k];
        params[k] = keep + (float) h;
        double lp = loss(op, plugin, ego, us, ps, qs, reg, par);
        params[k] = keep - (float) h;
        double lm = loss(op, plugin, ego, us, ps, qs, reg, par);
        params[k] = keep;
        assertEquals((lp - lm) / (2 * h), gPlugin[k], 2e-3, "djl=" + djl + " d loss / d plugin[" + k + "]");
        gradNorm += gPlugin[k] * gPlugin[k];
      }
      assertTrue(gradNorm > 1e-6, "the plug-in gets a gradient");
    }
  }

  /** The batch loss over propagated ego + plug-in rows, EmbLoss on the ID ego rows. */
  private static double loss(LightGcnPropagation op, ItemPlugin plugin, float[] ego, int[] us, int[] ps,
      int[] qs, float reg, Parallel par) {
    float[] eff = new float[ego.length];
    plugin.addTo(ego, eff, NU * D, par);
    return BatchStepGradientTest.loss(op, eff, ego, NU, D, us, ps, qs, reg, par);
  }
}
