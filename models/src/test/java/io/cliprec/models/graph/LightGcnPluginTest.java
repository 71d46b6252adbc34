package io.cliprec.models.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.KillAndResume;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TestData;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.mm.MmTestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LightGCN in CPMM plug-in mode, end to end on clustered synthetic data. */
class LightGcnPluginTest {
  private static final Recommender LIGHTGCN = ModelRegistry.get("lightgcn");

  private static Config cfg(Map<String, Object> more) {
    Map<String, Object> m = new java.util.HashMap<>(Map.of("learning_rate", 0.01, "train_batch_size", 128,
        "epochs", 5, "threads", 2, "embedding_size", 16));
    m.putAll(more);
    return LIGHTGCN.defaults().merge(Config.of(m));
  }

  @Test
  void projectedRawFeaturesTrainAndChangeTheModel() {
    Dataset data = TestData.clustered(120, 4, 15, 8, 9L);
    ItemFeatures f = MmTestData.clusterFeatures(4, 15, 5L); // image 8-d, text 6-d: projected to 16
    TrainContext base = TrainContext.of(data, cfg(Map.of())).withSeed(4)
        .withValidator(TestData.naiveValidator());
    TrainedModel id = LIGHTGCN.fit(base);
    TrainedModel plug = LIGHTGCN.fit(base.withConfig(cfg(Map.of("plugin", List.of("image", "text"))))
        .withItemFeatures(f));
    assertFalse(java.util.Arrays.equals(id.itemFactors().data(), plug.itemFactors().data()));
    double recall = TestData.recall(data, Split.TEST, plug, 20);
    assertTrue(recall > 0.5, "plug-in LightGCN test Recall@20 " + recall);
    assertEquals(List.of("image", "text"), plug.config().getList("plugin"));
    assertThrows(IllegalArgumentException.class, () -> LIGHTGCN.fit(
        base.withConfig(cfg(Map.of("plugin", List.of("image"))))));
  }

  @Test
  void pluginIdInitialisesTheIdTable() {
    Dataset data = TestData.clustered(60, 3, 10, 6, 2L);
    float[] id = new float[30 * 16];
    for (int k = 0; k < id.length; k++) {
      id[k] = (k % 7) * 0.01f;
    }
    ItemFeatures f = new ItemFeatures(Map.of("id", new FloatMatrix(30, 16, id)), Map.of());
    // 0 epochs: the model is the propagated init, so the ID table must be exactly the 'id' rows
    Config c = cfg(Map.of("plugin_id", true, "epochs", 0, "n_layers", 0));
    TrainedModel m = LIGHTGCN.fit(TrainContext.of(data, c).withItemFeatures(f)
        .withValidator(TestData.naiveValidator()));
    assertArrayEquals(id, m.itemFactors().data());
  }

  /** Killing after epoch 2 and resuming gives the uninterrupted run (plug-in weights and Adam included). */
  @Test
  void resumeWithProjectionIsExact(@TempDir Path tmp) {
    Dataset data = TestData.clustered(80, 4, 10, 6, 3L);
    ItemFeatures f = MmTestData.clusterFeatures(4, 10, 6L);
    TrainContext base = TrainContext.of(data, cfg(Map.of("plugin", List.of("image", "text"), "epochs", 4)))
        .withSeed(8).withItemFeatures(f).withValidator(TestData.naiveValidator());
    TrainedModel full = LIGHTGCN.fit(base);
    Path ckpt = tmp.resolve("ckpt");
    KillAndResume.Result res = KillAndResume.run(LIGHTGCN, base, ckpt, 2);
    assertEquals(List.of(3, 4), res.epochs());
    KillAndResume.assertSame(full, res.model());
    // a run without the plug-in refuses the checkpoint made with it
    assertThrows(IllegalArgumentException.class, () -> LIGHTGCN.fit(base.withConfig(cfg(Map.of("epochs",
        5))).withCheckpoints(ckpt, true)));
  }
}
