package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.train.PairSampler;
import io.cliprec.models.train.Parallel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trainable text fusion layers ({@link TextFusion}): their gradients inside every backbone against
 * finite differences, the attention's starting point (CLIPER's similarity attention), CLIPER's untrained
 * MLP, configuration errors, and exact resume with a fusion layer.
 */
class TextFusionTest {
  private static final Dataset DATA = MmGradientTest.DATA;
  private static final ItemFeatures FEATS = MmGradientTest.FEATS;
  private static final int V = 3;
  private static final int D = 5;

  @TempDir
  static Path tmp;

  /** Views [V, N, D] of the test items (cluster signal + noise) and, with sim, similarities [N, V]. */
  static Path writeViews(String name, boolean sim, int n) {
    SplittableRandom r = new SplittableRandom(name.hashCode());
    float[] cent = MmGradientTest.gauss(4 * D, r);
    float[] views = new float[V * n * D];
    for (int k = 0; k < V; k++) {
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < D; c++) {
          views[(k * n + i) * D + c] = cent[(i * 4 / n) * D + c] + (float) (0.5 * r.nextGaussian());
        }
      }
    }
    Path dir = tmp.resolve(name);
    Npy.write(dir.resolve("text_views.npy"), new int[] {V, n, D}, views);
    if (sim) {
      Npy.write(dir.resolve("sim.npy"), new int[] {n, V}, MmGradientTest.gauss(n * V, r));
    }
    return dir;
  }

  private static Config cfg(String model, String fusion, Path views) {
    Map<String, Object> m = new HashMap<>(Map.of("embedding_size", 8, "feat_embed_dim", 8, "knn_k", 8,
        "reg_weight", 0.05, "dropout", 0.5, "threads", 1, "train_batch_size", 64, "text_fusion", fusion,
        "text_views", views.toString()));
    return ModelRegistry.get(model).defaults().merge(Config.of(m));
  }

  private static MmModel create(String name, Config cfg, Parallel par) {
    return MmGradientTest.create(name, cfg, par);
  }

  @ParameterizedTest
  @CsvSource({"vbpr,mlp,false", "vbpr,attention,true", "vbpr,attention,false", "freedom,mlp,false",
      "freedom,attention,true", "lattice,mlp,false", "lattice,attention,true"})
  void fusionGradientsMatchFiniteDifferences(String name, String fusion, boolean sim) {
    Path views = writeViews(name + fusion + sim, sim, DATA.numItems());
    try (Parallel par = new Parallel(1)) {
      MmModel m = create(name, cfg(name, fusion, views), par);
      List<Param> fp = m.params().stream().filter(p -> p.name.startsWith("text_fusion.")).toList();
      assertEquals(fusion.equals("mlp") ? 2 : sim ? 3 : 2, fp.size(), "fusion params in " + m.params()
          .stream().map(Param::name).toList());
      assertTrue(m.params().stream().noneMatch(p -> p.name.equals("text_embedding")),
          "the fused text replaces the free text embedding");
      Runnable prep = name.equals("lattice") ? () -> m.preEpoch(0, null) : () -> {};
      m.preEpoch(0, new SplittableRandom(3));
      PairSampler.Epoch e = new PairSampler(DATA).epoch(new SplittableRandom(4));
      int[] u = Arrays.copyOf(e.users(), 64);
      int[] p = Arrays.copyOf(e.pos(), 64);
      int[] n = Arrays.copyOf(e.neg(), 64);
      if (fusion.equals("attention")) {
        // move off the symmetric start (q = 0, c = 0) so every term is exercised
        SplittableRandom r = new SplittableRandom(8);
        for (Param q : fp) {
          for (int i = 0; i < q.value.length; i++) {
            q.value[i] += (float) (0.3 * r.nextGaussian());
          }
        }
      }
      for (Param pr : m.params()) {
        Arrays.fill(pr.grad, 0f);
      }
      prep.run();
      m.batch(u, p, n);
      List<float[]> grads = fp.stream().map(pr -> pr.grad.clone()).toList();
      // LATTICE's learned kNN graph is piecewise: keep steps small so no top-k choice flips
      double eps = name.equals("lattice") ? 2e-4 : 2e-3;
      MmGradientTest.checkAgainstFiniteDifferences(name + " " + fusion, m, fp, grads, u, p, n, prep, eps, 2);
    }
  }

  @Test
  void attentionStartsAtCliperSimilarityAttentionAndMeanWithoutSim() {
    int n = 6;
    SplittableRandom r = new SplittableRandom(1);
    float[] views = MmGradientTest.gauss(V * n * D, r);
    float[] sim = MmGradientTest.gauss(n * V, r);
    try (Parallel par = new Parallel(1)) {
      TextFusion f = new TextFusion(TextFusion.Mode.ATTENTION, new TextViews(V, n, D, views, sim), par, r);
      f.forward();
      TextFusion g = new TextFusion(TextFusion.Mode.ATTENTION, new TextViews(V, n, D, views, null), par, r);
      g.forward();
      for (int i = 0; i < n; i++) {
        double z = 0;
        for (int k = 0; k < V; k++) {
          z += Math.exp(sim[i * V + k]);
        }
        for (int c = 0; c < D; c++) {
          double want = 0;
          double mean = 0;
          for (int k = 0; k < V; k++) {
            want += Math.exp(sim[i * V + k]) / z * views[(k * n + i) * D + c];
            mean += views[(k * n + i) * D + c] / V;
          }
          assertEquals(want, f.output()[i * D + c], 1e-5);
          assertEquals(mean, g.output()[i * D + c], 1e-5);
        }
      }
    }
  }

  @Test
  void cliperFrozenMlpIsTheUntrainedLeakyReluLayer() {
    int n = 4;
    SplittableRandom r = new SplittableRandom(2);
    float[] views = MmGradientTest.gauss(V * n * D, r);
    try (Parallel par = new Parallel(1)) {
      TextFusion frozen = new TextFusion(TextFusion.Mode.MLP_FROZEN, new TextViews(V, n, D, views, null), par,
          new SplittableRandom(7));
      TextFusion mlp = new TextFusion(TextFusion.Mode.MLP, new TextViews(V, n, D, views, null), par,
          new SplittableRandom(7));
      assertTrue(frozen.params().isEmpty());
      assertEquals(2, mlp.params().size());
      frozen.forward();
      mlp.forward();
      assertArrayEquals(mlp.output(), frozen.output());
      float[] w = mlp.params().get(0).value;
      float[] b = mlp.params().get(1).value;
      // item 1, output column 2 by hand: LeakyReLU(Σ_k Σ_c t_1k[c] W[k*D + c, 2] + b[2])
      double z = b[2];
      for (int k = 0; k < V; k++) {
        for (int c = 0; c < D; c++) {
          z += views[(k * n + 1) * D + c] * w[(k * D + c) * D + 2];
        }
      }
      assertEquals(z > 0 ? z : 0.01 * z, mlp.output()[D + 2], 1e-5);
      boolean negative = false;
      for (float o : mlp.output()) {
        negative |= o < 0;
      }
      assertTrue(negative, "LeakyReLU keeps a slope below zero");
    }
  }

  @Test
  void configurationErrorsNameTheProblem() {
    Path views = writeViews("errors", false, DATA.numItems());
    try (Parallel par = new Parallel(1)) {
      assertNull(TextFusion.of(cfg("vbpr", "fixed", views), FEATS, "text", DATA.numItems(), par,
          new SplittableRandom(1)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> create("vbpr", cfg("vbpr", "softmax", views), par));
      assertTrue(e.getMessage().contains("text_fusion"), e.getMessage());
      Config noReg = cfg("freedom", "mlp", views).with("reg_weight", 0.0);
      e = assertThrows(IllegalArgumentException.class, () -> create("freedom", noReg, par));
      assertTrue(e.getMessage().contains("reg_weight"), e.getMessage());
      Path wrongRows = writeViews("rows", false, DATA.numItems() + 1);
      assertThrows(RuntimeException.class, () -> create("vbpr", cfg("vbpr", "mlp", wrongRows), par));
      e = assertThrows(IllegalArgumentException.class,
          () -> create("vbpr", cfg("vbpr", "mlp", tmp.resolve("nowhere")), par));
      assertTrue(e.getMessage().contains("text_views.npy"), e.getMessage());
    }
  }

  private static TrainedModel fit(String name, String fusion, Path views, int epochs, Path ckpt,
      boolean resume) {
    Config cfg = Config.of(Map.of("epochs", epochs, "train_batch_size", 64, "threads", 1, "reg_weight", 1e-3,
        "learning_rate", 0.01, "text_fusion", fusion, "text_views", views.toString()));
    return ModelRegistry.get(name).fit(TrainContext.of(DATA, cfg).withItemFeatures(FEATS).withSeed(5)
        .withCheckpoints(ckpt, resume));
  }

  @ParameterizedTest
  @CsvSource({"vbpr,mlp", "freedom,attention", "lattice,attention"})
  void resumeWithAFusionLayerGivesTheSameModel(String name, String fusion) {
    Path views = writeViews("resume" + name, true, DATA.numItems());
    Path a = tmp.resolve("ckpt-a-" + name);
    Path b = tmp.resolve("ckpt-b-" + name);
    TrainedModel straight = fit(name, fusion, views, 4, a, false);
    fit(name, fusion, views, 2, b, false);
    TrainedModel resumed = fit(name, fusion, views, 4, b, true);
    assertEquals(straight.history().loss(), resumed.history().loss());
    assertArrayEquals(straight.itemFactors().data(), resumed.itemFactors().data());
    assertArrayEquals(straight.userFactors(Split.TEST).data(), resumed.userFactors(Split.TEST).data());
    // the fusion layer changes the model (it is not a no-op)
    TrainedModel fixed = fit(name, "fixed", views, 4, tmp.resolve("ckpt-f-" + name), false);
    assertNotEquals(Arrays.hashCode(fixed.itemFactors().data()), Arrays.hashCode(straight.itemFactors().data()));
  }
}
