package io.cliprec.models.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SASRec plug-in features whose width differs from hidden_size (raw CLIP): a trainable projection. */
class SasRecPluginTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void projectedTableIsIdPlusXWtPlusBAndOnlyTheMapLearns() {
    // 3 items, hidden 4, one plug-in from 6-d features
    SasRecNet net = new SasRecNet(3, 4, 2, 8, 1, 5, 0.2, 0.2, new int[] {6});
    net.init(1L);
    assertTrue(net.pluginProjected(0));
    float[] x = new float[18];
    for (int k = 0; k < x.length; k++) {
      x[k] = k * 0.1f;
    }
    net.setTable(net.pluginTensor(0), new FloatMatrix(3, 6, x));
    int w = net.names().indexOf("plugin0.weight");
    int b = net.names().indexOf("plugin0.bias");
    assertEquals(List.of(4L, 6L), List.of(net.shape(w).get(0), net.shape(w).get(1)));
    float[] params = net.params();
    for (int c = 0; c < 4; c++) {
      params[net.offset(b) + c] = 0.5f * c;
    }
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray[] p = net.leaves(m, true);
      assertFalse(p[net.pluginTensor(0)].hasGradient(), "raw features are constants");
      NDArray table = net.itemTable(p);
      float[] sum = table.toFloatArray();
      float[] id = p[SasRecNet.ITEM_EMB].toFloatArray();
      for (int row = 0; row < 4; row++) {
        for (int c = 0; c < 4; c++) {
          double y = id[row * 4 + c] + 0.5 * c;
          for (int k = 0; row > 0 && k < 6; k++) {
            y += x[(row - 1) * 6 + k] * params[net.offset(w) + c * 6 + k];
          }
          assertEquals(y, sum[row * 4 + c], 1e-5, "row " + row + " col " + c);
        }
      }
      gc.backward(table.sum());
      float[] g = net.gradients(p);
      // d sum / d W[c, k] = Σ_rows x[row, k] (row 0 is the zero padding input); d sum / d b[c] = 4 rows
      for (int k = 0; k < 6; k++) {
        assertEquals(x[k] + x[6 + k] + x[12 + k], g[net.offset(w) + k], 1e-5);
      }
      assertEquals(4f, g[net.offset(b)], 1e-6);
    }
  }

  @Test
  void trainsFromWiderRawFeatures() {
    Dataset d = SasRecTest.cyclic(300, 40, 8L);
    SplittableRandom rng = new SplittableRandom(2);
    float[] f = new float[40 * 48];
    for (int k = 0; k < f.length; k++) {
      f[k] = (float) rng.nextGaussian() * 10; // raw-CLIP-like norms; rows get L2-normalised
    }
    ItemFeatures feats = new ItemFeatures(Map.of("image", new FloatMatrix(40, 48, f)), Map.of());
    Recommender r = ModelRegistry.get("sasrec");
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.01, "epochs", 15, "hidden_size",
        32, "inner_size", 64, "max_seq_length", 10, "train_batch_size", 64, "plugin", List.of("image"))));
    TrainedModel m = r.fit(TrainContext.of(d, cfg).withSeed(2).withItemFeatures(feats));
    double hr1 = Evaluator.evaluate(d, Split.TEST, m,
        EvalOptions.defaults().withKs(1).withMask(MaskPolicy.HISTORY)).get("HR@1");
    assertTrue(hr1 > 0.5, "test HR@1 " + hr1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.fit(
        TrainContext.of(d, cfg.merge(Config.of(Map.of("plugin_projection", "none")))).withSeed(2)
            .withItemFeatures(feats)));
    assertTrue(e.getMessage().contains("plugin_projection"), e.getMessage());
  }
}
