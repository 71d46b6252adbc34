package io.cliprec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.Evaluator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelRegistryTest {
  /**
   * Models with MMRec-style defaults (sequential and CTR models are tested in their own packages).
   */
  static List<String> names() {
    return ModelRegistry.names().stream().filter(n -> !n.equals("sasrec") && !n.equals("mp4sr"))
        .filter(n -> !(ModelRegistry.get(n) instanceof io.cliprec.models.ctr.CtrRecommender)).toList();
  }

  @Test
  void findsBuiltInModels() {
    assertTrue(ModelRegistry.names().containsAll(List.of("bpr", "lightgcn", "vbpr", "lattice", "freedom")), ModelRegistry.names()::toString);
    assertEquals("lightgcn", ModelRegistry.get("LightGCN").name());
  }

  @Test
  void unknownNameListsKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelRegistry.get("nope"));
    assertTrue(e.getMessage().contains("bpr") && e.getMessage().contains("lightgcn"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyModelHasCommentedDefaults(String name) {
    Config d = ModelRegistry.get(name).defaults();
    for (String k : List.of("embedding_size", "reg_weight", "learning_rate", "train_batch_size", "epochs",
        "stopping_step", "valid_metric")) {
      assertTrue(d.has(k), name + " defaults lack " + k);
    }
    assertEquals(64, d.getInt("embedding_size"));
    assertEquals(2048, d.getInt("train_batch_size"));
  }

  /** Every registered model learns clear cluster preferences in a few epochs, and saves/loads. */
  @ParameterizedTest
  @MethodSource("names")
  void learnsSyntheticPreferences(String name, @TempDir Path tmp) throws Exception {
    Dataset data = TestData.clustered(300, 6, 25, 10, 7L);
    Recommender r = ModelRegistry.get(name);
    Config cfg = r.defaults().merge(Config.of(java.util.Map.of("learning_rate", 0.01,
        "train_batch_size", 256, "epochs", 15, "threads", 2)));
    int[] seen = new int[1];
    // default validator: the core Evaluator on VALID (Recall@20, train items masked)
    // features carrying the cluster signal (multimodal models need them, the others ignore them)
    TrainedModel m = r.fit(TrainContext.of(data, cfg).withSeed(3)
        .withItemFeatures(io.cliprec.models.mm.MmTestData.clusterFeatures(6, 25, 5L))
        .withListener(rep -> seen[0] = rep.epoch()));
    assertEquals(15, seen[0]);
    assertEquals(15, m.history().epochsRun());
    assertTrue(m.history().bestEpoch() >= 1);
    double test = TestData.recall(data, Split.TEST, m, 20);
    assertEquals(test, Evaluator.evaluate(data, Split.TEST, m, EvalOptions.defaults()).get("Recall@20"),
        1e-9, "naive and core Recall@20 disagree");
    assertEquals(m.history().bestValid(), TestData.recall(data, Split.VALID, m, 20), 1e-9,
        "model holds the best-validation weights");
    // random ranking: 20 of the 150 - 8 unmasked items, about 0.14; a cluster model gets ~1.0
    assertTrue(test > 0.6, name + " test Recall@20 " + test);
    m.save(tmp.resolve("m"));
    TrainedModel back = Models.load(tmp.resolve("m"));
    assertEquals(name, back.name());
    assertEquals(m.history(), back.history());
    assertEquals(data.contentHash(), back.provenance().get("data_hash"));
    assertEquals(TestData.recall(data, Split.TEST, m, 20), TestData.recall(data, Split.TEST, back, 20));
    assertEquals(cfg.getDouble("learning_rate"), back.config().getDouble("learning_rate"));
  }
}
