package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.TestData;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.train.PairSampler;
import io.cliprec.models.train.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed-form gradients of every multimodal model's batch loss (all parameter tensors: ID embeddings,
 * trainable features, linear layers, modality weights, and for LATTICE the path through the learned kNN
 * graph) against central finite differences, and the sparse ops against their adjoints.
 */
class MmGradientTest {
  static final Dataset DATA = TestData.clustered(40, 4, 8, 6, 11L);
  static final ItemFeatures FEATS = MmTestData.clusterFeatures(4, 8, 2L);

  static MmModel create(String name, Parallel par) {
    return create(name, ModelRegistry.get(name).defaults().merge(Config.of(Map.of("embedding_size", 8,
        "feat_embed_dim", 8, "knn_k", 8, "reg_weight", 0.05, "dropout", 0.5, "threads", 1,
        "train_batch_size", 64))), par);
  }

  /** Model {@code name} on the test data and features with config {@code cfg}, init seed 5. */
  static MmModel create(String name, Config cfg, Parallel par) {
    SplittableRandom rng = new SplittableRandom(5);
    switch (name) {
      case "vbpr":
        return new VbprModel(DATA, cfg, FEATS, par, rng);
      case "lattice":
        return new LatticeModel(DATA, cfg, FEATS, par, rng);
      default:
        return new FreedomModel(DATA, cfg, FEATS, par, rng);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"vbpr", "lattice", "freedom"})
  void batchGradientsMatchFiniteDifferences(String name) {
    try (Parallel par = new Parallel(1)) {
      MmModel m = create(name, par);
      // LATTICE differentiates through its item graph only in the epoch's first batch: rebuild each time
      Runnable prep = name.equals("lattice") ? () -> m.preEpoch(0, null) : () -> {};
      m.preEpoch(0, new SplittableRandom(3));
      PairSampler.Epoch e = new PairSampler(DATA).epoch(new SplittableRandom(4));
      int[] u = Arrays.copyOf(e.users(), 64);
      int[] p = Arrays.copyOf(e.pos(), 64);
      int[] n = Arrays.copyOf(e.neg(), 64);
      for (Param pr : m.params()) {
        Arrays.fill(pr.grad, 0f);
      }
      prep.run();
      double loss = m.batch(u, p, n);
      assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
      // snapshot first: the finite-difference batches below add into the grad buffers
      List<float[]> grads = m.params().stream().map(pr -> pr.grad.clone()).toList();
      int checked = checkAgainstFiniteDifferences(name, m, m.params(), grads, u, p, n, prep, 1e-3, 3);
      assertTrue(checked >= 4 * 4, "checked " + checked);
    }
  }

  /**
   * For each param: asserts some gradient reaches it, then compares its largest and {@code picks} random
   * entries of {@code grads} with central differences of the batch loss (step eps; {@code prep} runs
   * before every batch). Returns the number of entries checked.
   */
  static int checkAgainstFiniteDifferences(String name, MmModel m, List<Param> ps, List<float[]> grads,
      int[] u, int[] p, int[] n, Runnable prep, double eps, int picks) {
    SplittableRandom pick = new SplittableRandom(9);
    int checked = 0;
    for (int q = 0; q < ps.size(); q++) {
      Param pr = ps.get(q);
      float[] g = grads.get(q);
      double gmax = 0;
      int arg = 0;
      for (int i = 0; i < g.length; i++) {
        if (Math.abs(g[i]) > gmax) {
          gmax = Math.abs(g[i]);
          arg = i;
        }
      }
      assertTrue(gmax > 0, name + ": no gradient reaches " + pr.name);
      int[] idx = new int[picks + 1];
      idx[0] = arg;
      for (int t = 1; t <= picks; t++) {
        idx[t] = pick.nextInt(g.length);
      }
      for (int i : idx) {
        float orig = pr.value[i];
        pr.value[i] = (float) (orig + eps);
        prep.run();
        double lp = m.batch(u, p, n);
        pr.value[i] = (float) (orig - eps);
        prep.run();
        double lm = m.batch(u, p, n);
        pr.value[i] = orig;
        double num = (lp - lm) / (2 * eps);
        double tol = 0.03 * Math.max(Math.abs(num), Math.abs(g[i])) + 3e-5;
        assertEquals(num, g[i], tol, name + " " + pr.name + "[" + i + "] (max |g| " + gmax + ")");
        checked++;
      }
    }
    return checked;
  }

  @Test
  void itemGraphTransposeIsTheAdjoint() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 30;
    int w = 5;
    int d = 7;
    int[] cols = new int[n * w];
    float[] vals = new float[n * w];
    for (int e = 0; e < cols.length; e++) {
      cols[e] = r.nextInt(n);
      vals[e] = (float) r.nextGaussian();
    }
    ItemGraph g = new ItemGraph(n, w, cols, vals);
    float[] x = gauss(n * d, r);
    float[] y = gauss(n * d, r);
    float[] mx = new float[n * d];
    float[] mty = new float[n * d];
    try (Parallel par = new Parallel(2)) {
      g.mul(x, mx, d, par);
    }
    g.mulTransposedAdd(y, mty, d);
    assertEquals(dot(mx, y), dot(x, mty), 1e-3 * (1 + Math.abs(dot(mx, y))));
    // dense check of one row
    double s = 0;
    for (int e = 0; e < w; e++) {
      s += vals[3 * w + e] * x[cols[3 * w + e] * d + 2];
    }
    assertEquals(s, mx[3 * d + 2], 1e-5);
  }

  @Test
  void latticeAdjacencyIsRowStochasticAndItsPropagationAdjointHolds() {
    CsrMatrix a = LatticeModel.rowNormalizedWithSelfLoops(DATA.trainMatrix());
    int n = DATA.numUsers() + DATA.numItems();
    assertEquals(n, a.rows());
    assertEquals(2 * DATA.trainMatrix().nnz() + n, a.nnz());
    for (int r = 0; r < n; r++) {
      double s = 0;
      boolean self = false;
      for (int q = a.indptr()[r]; q < a.indptr()[r + 1]; q++) {
        s += a.values()[q];
        self |= a.indices()[q] == r;
      }
      assertEquals(1.0, s, 1e-5);
      assertTrue(self, "self loop in row " + r);
    }
    LightGcnPropagation f = new LightGcnPropagation(a, 2, 4);
    LightGcnPropagation b = new LightGcnPropagation(a.transpose(), 2, 4);
    SplittableRandom r = new SplittableRandom(2);
    int d = 5;
    float[] x = gauss(n * d, r);
    float[] y = gauss(n * d, r);
    float[] fx = new float[n * d];
    float[] by = new float[n * d];
    try (Parallel par = new Parallel(2)) {
      f.forward(x, fx, d, par);
      b.forward(y, by, d, par);
    }
    assertEquals(dot(fx, y), dot(x, by), 1e-3 * (1 + Math.abs(dot(x, by))));
  }

  @Test
  void freedomModalityWeightsFollowMmrec() {
    assertEquals(List.of(0.1, 0.9), box(FreedomModel.modalityWeights(List.of("image", "text"), 0.1,
        "image")));
    assertEquals(List.of(0.9, 0.1), box(FreedomModel.modalityWeights(List.of("text", "image"), 0.1,
        "image")));
    assertEquals(List.of(1.0), box(FreedomModel.modalityWeights(List.of("text"), 0.1, "image")));
    assertEquals(List.of(0.5, 0.5), box(FreedomModel.modalityWeights(List.of("text", "audio"), 0.1,
        "image")));
  }

  private static List<Double> box(double[] a) {
    return Arrays.stream(a).map(v -> Math.round(v * 1e9) / 1e9).boxed().toList();
  }

  static float[] gauss(int n, SplittableRandom r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
