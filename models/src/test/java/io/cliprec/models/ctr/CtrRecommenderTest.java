package io.cliprec.models.ctr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.CtrMetrics;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.TrainContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CtrRecommenderTest {
  static {
    // one PyTorch thread: on a loaded 2-core box OpenMP spin-waiting makes 2 threads much slower
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  static final Dataset DATA = CtrTestData.labelled(240, 60, 4, 24, 0.05, 0, 11L);

  /** Small, fast settings; {@code extra} overrides them. */
  static Config cfg(CtrRecommender r, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(Map.of("embedding_size", 16, "mlp_hidden_size",
        java.util.List.of(32, 32), "cin_layer_size", java.util.List.of(16, 16), "learning_rate", 0.01,
        "train_batch_size", 128, "epochs", 12, "stopping_step", 12, "threads", 1));
    m.putAll(extra);
    return r.defaults().merge(Config.of(m));
  }

  private static CtrModel train(String name, Dataset d, ItemFeatures f, long seed,
      Map<String, Object> extra) {
    CtrRecommender r = (CtrRecommender) ModelRegistry.get(name);
    return r.fitCtr(TrainContext.of(d, cfg(r, extra)).withSeed(seed).withItemFeatures(f));
  }

  static float[] predict(CtrModel m, Dataset d, Split s) {
    float[] p = new float[d.split(s).size()];
    m.predict(d.split(s).usersArray(), d.split(s).itemsArray(), p);
    return p;
  }

  /** The label is user group == item group: only a learned user x item interaction predicts it. */
  @ParameterizedTest
  @ValueSource(strings = {"deepfm", "xdeepfm"})
  void learnsUserItemInteraction(String name) {
    CtrModel m = train(name, DATA, null, 3L, Map.of());
    double test = CtrMetrics.evaluate(DATA, Split.TEST, m).get(CtrMetrics.AUC);
    double valid = CtrMetrics.evaluate(DATA, Split.VALID, m).get(CtrMetrics.AUC);
    // random scores give 0.5, first-order terms alone (item/user popularity) about 0.5 here too
    assertTrue(test > 0.8, name + " test AUC " + test);
    assertEquals(m.history().bestValid(), valid, 1e-9, "model holds the best-validation weights");
    assertTrue(m.history().loss().get(m.history().epochsRun() - 1) < m.history().loss().get(0),
        "training loss went down: " + m.history().loss());
    double ll = CtrMetrics.evaluate(DATA, Split.TEST, m).get(CtrMetrics.LOG_LOSS);
    assertTrue(ll < Math.log(2), name + " LogLoss " + ll + " not better than p = 0.5");
  }

  /** A diverging run (absurd learning rate) skips a bounded number of non-finite steps, then stops. */
  @Test
  void nonFiniteStepsAreSkippedThenStop() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> train("deepfm", DATA, null, 3L, Map.of("learning_rate", 1e30, "max_nonfinite_steps", 3)));
    assertTrue(e.getMessage().contains("non-finite") && e.getMessage().contains("max_nonfinite_steps=3"),
        e.getMessage());
  }

  /** Micro-batches accumulate to the same loss and gradient as one pass over the batch. */
  @ParameterizedTest
  @ValueSource(strings = {"deepfm", "xdeepfm"})
  void microBatchesGiveTheSameGradient(String name) {
    CtrRecommender r = (CtrRecommender) ModelRegistry.get(name);
    CtrNet net = CtrRecommender.network(r.kind(), cfg(r, Map.of()), DATA.numUsers(), DATA.numItems(), 0,
        java.util.List.of());
    net.init(3L, java.util.List.of());
    int b = 100;
    int[] u = java.util.Arrays.copyOf(DATA.train().usersArray(), b);
    int[] i = java.util.Arrays.copyOf(DATA.train().itemsArray(), b);
    float[] y = new float[b];
    for (int k = 0; k < b; k++) {
      y[k] = DATA.train().label(k) > 0 ? 1f : 0f;
    }
    float[] whole = new float[net.params().params().length];
    float[] parts = new float[whole.length];
    ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
    try (ai.djl.ndarray.NDManager base = engine.newBaseManager()) {
      // train = false: no dropout, so both see the same network
      float l1 = CtrRecommender.batchGradient(net, base, engine, u, i, new int[b], y, b, false, whole);
      float l2 = CtrRecommender.batchGradient(net, base, engine, u, i, new int[b], y, 24, false, parts);
      assertEquals(l1, l2, 1e-5);
    }
    double norm = 0;
    double diff = 0;
    for (int k = 0; k < whole.length; k++) {
      norm += whole[k] * whole[k];
      diff += (whole[k] - parts[k]) * (whole[k] - parts[k]);
    }
    assertTrue(norm > 0, "a gradient at all");
    assertTrue(Math.sqrt(diff / norm) < 1e-5, name + ": relative gradient difference " + Math.sqrt(diff / norm));
  }

  /** The L2-norm penalty's gradient is W / ||W|| per tensor, whole tensors (checked numerically). */
  @Test
  void regGradientMatchesFiniteDifferences() {
    CtrRecommender r = (CtrRecommender) ModelRegistry.get("xdeepfm");
    CtrNet net = CtrRecommender.network(r.kind(), cfg(r, Map.of()), 7, 5, 0, java.util.List.of());
    net.init(4L, java.util.List.of());
    float[] w = net.params().params();
    float[] g = new float[w.length];
    double base = net.addRegGradient(w, g, 0.5);
    assertTrue(base > 0);
    int fo = net.params().offset(net.params().index("fo_item")) + 3;
    int mlp = net.params().offset(net.params().index("mlp0.weight")) + 11;
    for (int k : new int[] {fo, mlp}) {
      float keep = w[k];
      double h = 1e-3;
      w[k] = (float) (keep + h);
      double up = net.addRegGradient(w, new float[w.length], 0.5);
      w[k] = (float) (keep - h);
      double down = net.addRegGradient(w, new float[w.length], 0.5);
      w[k] = keep;
      assertEquals((up - down) / (2 * h), g[k], 1e-3);
    }
  }

  @Test
  void xdeepfmMicroRowsBoundTheCinTensor() {
    CtrNet net = new CtrNet(CtrNet.Kind.XDEEPFM, 10, 10, 0, 128, new int[] {8}, new int[] {120, 120, 120},
        0.1, true, false, true, java.util.List.of());
    // widest outer product: 60 hidden maps x 2 fields x 128 dims per row
    assertEquals(CtrNet.MICRO_FLOATS / (60 * 2 * 128), net.microRows());
    CtrNet deep = new CtrNet(CtrNet.Kind.DEEPFM, 10, 10, 0, 128, new int[] {8}, new int[0], 0.1, true, false,
        true, java.util.List.of());
    assertEquals(Integer.MAX_VALUE, deep.microRows());
  }

  @Test
  void deterministicPerSeed() {
    Map<String, Object> few = Map.of("epochs", 3);
    float[] a = predict(train("xdeepfm", DATA, null, 5L, few), DATA, Split.TEST);
    float[] b = predict(train("xdeepfm", DATA, null, 5L, few), DATA, Split.TEST);
    float[] c = predict(train("xdeepfm", DATA, null, 6L, few), DATA, Split.TEST);
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c), "another seed gives another model");
  }

  @Test
  void savesAndLoads(@TempDir Path tmp) throws Exception {
    ItemFeatures f = CtrTestData.groupFeatures(60, 4, 8, 2L);
    CtrModel m = train("deepfm", DATA, f, 4L, Map.of("epochs", 2));
    m.save(tmp.resolve("m"));
    CtrModel back = CtrModel.load(tmp.resolve("m"));
    assertArrayEquals(predict(m, DATA, Split.TEST), predict(back, DATA, Split.TEST));
    assertEquals(m.history(), back.history());
    assertEquals("deepfm", back.name());
    assertEquals(DATA.contentHash(), back.provenance().get("data_hash"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> back.predict(new int[] {0}, new int[] {60}, new float[1]));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
  }

  /**
   * Items never seen in training: only a feature plug-in carrying the item's group lets the model
   * score them (the item ID embedding stays at its random init).
   */
  @ParameterizedTest
  @ValueSource(strings = {"project", "init"})
  void featurePlugInsCarryItemInformation(String mode) {
    Dataset cold = CtrTestData.labelled(240, 60, 4, 24, 0.0, 20, 12L);
    ItemFeatures f = CtrTestData.groupFeatures(60, 4, 16, 3L);
    Map<String, Object> over = Map.of("feature_mode", mode, "epochs", 15, "stopping_step", 15);
    CtrModel with = train("xdeepfm", cold, f, 7L, over);
    CtrModel without = train("xdeepfm", cold, null, 7L, over);
    double aw = coldAuc(with, cold);
    double ao = coldAuc(without, cold);
    assertTrue(aw > 0.75 && aw > ao + 0.1, mode + ": cold-item AUC with features " + aw + ", without " + ao);
  }

  /** AUC on the test rows of cold items (id >= 40). */
  private static double coldAuc(CtrModel m, Dataset d) {
    var t = d.test();
    int n = 0;
    for (int r = 0; r < t.size(); r++) {
      n += t.item(r) >= 40 ? 1 : 0;
    }
    int[] u = new int[n];
    int[] i = new int[n];
    float[] y = new float[n];
    int k = 0;
    for (int r = 0; r < t.size(); r++) {
      if (t.item(r) >= 40) {
        u[k] = t.user(r);
        i[k] = t.item(r);
        y[k++] = t.label(r);
      }
    }
    float[] p = new float[n];
    m.predict(u, i, p);
    return CtrMetrics.auc(p, y);
  }

  @Test
  void itemClassesFollowTheAttribute() {
    int[] c = CtrRecommender.itemClasses(DATA, "class");
    assertEquals(60, c.length);
    for (int i = 0; i < 60; i++) {
      assertEquals(i % 3, c[i]);
    }
    assertEquals(null, CtrRecommender.itemClasses(DATA, ""));
    assertEquals(null, CtrRecommender.itemClasses(DATA, "brand"));
  }

  @Test
  void badInputFailsClearly() {
    CtrRecommender x = (CtrRecommender) ModelRegistry.get("xdeepfm");
    // a CTR model is not a ranking model
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.fit(TrainContext.of(DATA, x.defaults())));
    assertTrue(e.getMessage().contains("click-through-rate"), e.getMessage());
    // unlabelled data needs prepare() first
    Dataset implicit = io.cliprec.models.TestData.clustered(20, 2, 10, 5, 1L);
    e = assertThrows(IllegalArgumentException.class, () -> x.fitCtr(TrainContext.of(implicit,
        x.defaults())));
    assertTrue(e.getMessage().contains("labelled"), e.getMessage());
    // init mode needs features as wide as the embedding
    ItemFeatures f8 = CtrTestData.groupFeatures(60, 4, 8, 2L);
    e = assertThrows(IllegalArgumentException.class,
        () -> train("xdeepfm", DATA, f8, 1L, Map.of("feature_mode", "init", "epochs", 1)));
    assertTrue(e.getMessage().contains("feature_mode"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> train("xdeepfm", DATA, f8, 1L, Map.of("plug_in", java.util.List.of("text"), "epochs", 1)));
    assertTrue(e.getMessage().contains("text"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> train("xdeepfm", DATA, null, 1L, Map.of("cin_layer_size", java.util.List.of(15, 10))));
    assertTrue(e.getMessage().contains("cin_layer_size"), e.getMessage());
  }

  @Test
  void prepareMakesImplicitDataACtrSplit() {
    Dataset implicit = io.cliprec.models.TestData.clustered(30, 3, 20, 6, 1L);
    CtrRecommender x = (CtrRecommender) ModelRegistry.get("xdeepfm");
    Dataset d = CtrRecommender.prepare(implicit, x.defaults());
    assertEquals(io.cliprec.core.data.Protocol.CTR, d.protocol());
    assertEquals(2 * implicit.train().size(), d.train().size());
    assertEquals(2 * implicit.test().size(), d.test().size());
    assertEquals("negative_sampling", d.meta().get("ctr_split"));
    // labelled with no valid rows: CPMM's half of the test split
    Dataset noValid = DATA.withSplits(DATA.train(), io.cliprec.core.data.Interactions.empty(),
        DATA.test(), DATA.protocol(), Map.of());
    Dataset p = CtrRecommender.prepare(noValid, x.defaults());
    assertEquals(DATA.test().size(), p.valid().size() + p.test().size());
    assertEquals(DATA.test().size() / 2, p.test().size());
    assertEquals(DATA.train().size(), p.train().size());
  }
}
