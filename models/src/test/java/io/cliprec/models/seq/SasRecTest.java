package io.cliprec.models.seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Models;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SasRecTest {
  static {
    // one PyTorch thread: on a loaded 2-core box OpenMP spin-waiting makes 2 threads ~4x slower
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  /**
   * Leave-one-out data where every user walks the items in a fixed cyclic order from a random start:
   * the next item is a deterministic function of the last one, which only an order-aware model can learn.
   */
  static Dataset cyclic(int users, int items, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> tr = new ArrayList<>();
    List<int[]> va = new ArrayList<>();
    List<int[]> te = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int start = rng.nextInt(items);
      int n = 5 + rng.nextInt(8);
      for (int k = 0; k < n; k++) {
        int[] row = {u, (start + k * 7) % items, k};
        (k < n - 2 ? tr : k == n - 2 ? va : te).add(row);
      }
    }
    return new Dataset("cyclic", IdIndex.identity(users), IdIndex.identity(items), rows(tr), rows(va),
        rows(te), Protocol.LEAVE_ONE_OUT, Map.of());
  }

  private static Interactions rows(List<int[]> l) {
    int[] u = new int[l.size()];
    int[] i = new int[l.size()];
    long[] t = new long[l.size()];
    for (int k = 0; k < l.size(); k++) {
      u[k] = l.get(k)[0];
      i[k] = l.get(k)[1];
      t[k] = l.get(k)[2];
    }
    return new Interactions(u, i, null, t, null);
  }

  @Test
  void attentionMaskIsCausalAndHidesPadding() {
    float[] m = SasRecNet.attentionMask(new int[] {0, 5, 6}, 1, 3);
    float x = -10000f;
    // rows = queries 0..2, columns = keys 0..2; key 0 is padding
    assertArrayEquals(new float[] {x, x, x, x, 0, x, x, 0, 0}, m);
  }

  @Test
  void historiesFollowTimestampsAndTargets() {
    Dataset d = cyclic(3, 20, 1L);
    UserSequences s = UserSequences.of(d);
    for (int u = 0; u < 3; u++) {
      int[] tr = s.train(u);
      for (int k = 1; k < tr.length; k++) {
        assertEquals((tr[k - 1] - 1 + 7) % 20, tr[k] - 1, "time order");
      }
      assertArrayEquals(tr, s.historyBefore(u, Split.VALID));
      int[] t = s.historyBefore(u, Split.TEST);
      assertEquals(tr.length + 1, t.length);
      assertEquals(s.valid(u), t[t.length - 1]);
    }
    int[] out = new int[4];
    UserSequences.padLeft(new int[] {1, 2, 3, 4, 5}, 1, 5, 3, out, 1);
    assertArrayEquals(new int[] {0, 3, 4, 5}, out);
  }

  @Test
  void negativesAvoidTheSequence() {
    Dataset d = cyclic(20, 30, 2L);
    UserSequences s = UserSequences.of(d);
    int[][] ex = SasRecRecommender.exclusionSets(s, true);
    SplittableRandom rng = new SplittableRandom(3);
    for (int u = 0; u < 20; u++) {
      assertTrue(Arrays.binarySearch(ex[u], s.test(u)) >= 0);
      for (int k = 0; k < 50; k++) {
        int n = SasRecRecommender.sampleNegative(30, ex[u], rng);
        assertTrue(n >= 1 && n <= 30 && Arrays.binarySearch(ex[u], n) < 0);
      }
    }
    int[][] trainOnly = SasRecRecommender.exclusionSets(s, false);
    assertTrue(Arrays.binarySearch(trainOnly[0], s.test(0)) < 0);
  }

  /** Encoding only the last len columns equals the full max-length computation at those positions. */
  @Test
  void shortEncodingEqualsFullLength() {
    SasRecNet net = new SasRecNet(12, 16, 2, 32, 2, 6, 0.2, 0.2);
    net.init(5L);
    int[] full = {0, 0, 0, 3, 7, 2, 0, 0, 0, 0, 9, 1};
    int[] shortIds = {3, 7, 2, 0, 9, 1};
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray[] p = net.leaves(m, false);
      float[] a = net.encode(m, p, net.itemTable(p), full, 2, 6, false).get(":, -1, :").toFloatArray();
      float[] b = net.encode(m, p, net.itemTable(p), shortIds, 2, 3, false).get(":, -1, :")
          .toFloatArray();
      assertArrayEquals(a, b, 1e-5f);
    }
  }

  private static TrainedModel train(Dataset d, Map<String, Object> over) {
    Recommender r = ModelRegistry.get("sasrec");
    Config cfg = r.defaults().merge(Config.of(over));
    return r.fit(TrainContext.of(d, cfg).withSeed(11));
  }

  @Test
  void learnsSequentialOrderWithBce(@TempDir Path tmp) throws Exception {
    Dataset d = cyclic(300, 40, 4L);
    TrainedModel m = train(d, Map.of("learning_rate", 0.01, "epochs", 25, "hidden_size", 32,
        "inner_size", 64, "max_seq_length", 10, "length_bucketing", 2, "train_batch_size", 64));
    EvalOptions o = EvalOptions.defaults().withKs(1, 10).withMask(MaskPolicy.HISTORY);
    double hr1 = Evaluator.evaluate(d, Split.TEST, m, o).get("HR@1");
    // random: 1 / (40 - history) ~ 0.03; the cyclic rule gives ~1
    assertTrue(hr1 > 0.5, "test HR@1 " + hr1);
    assertEquals(m.history().bestValid(), Evaluator.evaluate(d, Split.VALID, m,
        EvalOptions.defaults().withKs(20).withMask(MaskPolicy.HISTORY)).get("NDCG@20"), 1e-9);
    assertFalse(Arrays.equals(m.userFactors(Split.VALID).data(), m.userFactors(Split.TEST).data()));
    m.save(tmp.resolve("m"));
    TrainedModel back = Models.load(tmp.resolve("m"));
    assertEquals("sasrec", back.name());
    assertArrayEquals(m.userFactors(Split.VALID).data(), back.userFactors(Split.VALID).data());
    assertArrayEquals(m.userFactors(Split.TEST).data(), back.userFactors(Split.TEST).data());
    assertEquals(m.history(), back.history());
    assertEquals(d.contentHash(), back.provenance().get("data_hash"));
    assertEquals("11", back.provenance().get("seed"));
  }

  @Test
  void learnsSequentialOrderWithSoftmax() {
    Dataset d = cyclic(300, 40, 6L);
    TrainedModel m = train(d, Map.of("learning_rate", 0.01, "epochs", 15, "hidden_size", 32,
        "inner_size", 64, "max_seq_length", 10, "loss_type", "CE", "train_batch_size", 64));
    double hr1 = Evaluator.evaluate(d, Split.TEST, m,
        EvalOptions.defaults().withKs(1).withMask(MaskPolicy.HISTORY)).get("HR@1");
    assertTrue(hr1 > 0.5, "test HR@1 " + hr1);
    assertTrue(m.history().loss().get(m.history().epochsRun() - 1) < m.history().loss().get(0));
  }

  @Test
  void pluginTablesAreAddedAndFrozen() {
    SasRecNet net = new SasRecNet(3, 4, 2, 8, 1, 5, 0.2, 0.2, 1);
    net.init(1L);
    float[] t = new float[12];
    for (int k = 0; k < 12; k++) {
      t[k] = k;
    }
    net.setTable(net.pluginTensor(0), new FloatMatrix(3, 4, t));
    net.freeze(net.pluginTensor(0));
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray[] p = net.leaves(m, true);
      assertFalse(p[net.pluginTensor(0)].hasGradient());
      float[] sum = net.itemTable(p).toFloatArray();
      float[] id = p[SasRecNet.ITEM_EMB].toFloatArray();
      for (int k = 0; k < 4; k++) {
        assertEquals(id[k], sum[k], 0f, "padding row of the plug-in is zero");
      }
      assertEquals(id[4 + 5] + 5f, sum[4 + 5], 1e-6f);
      net.pluginInOutput(false);
      assertArrayEquals(id, net.outputTable(p).toFloatArray());
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> net.setTable(net.pluginTensor(0), new FloatMatrix(3, 5)));
    assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
  }

  @Test
  void trainsWithPluginFeatures() {
    Dataset d = cyclic(300, 40, 8L);
    SplittableRandom rng = new SplittableRandom(2);
    float[] f = new float[40 * 32];
    for (int k = 0; k < f.length; k++) {
      f[k] = (float) (rng.nextDouble(-1, 1) * 0.1);
    }
    ItemFeatures feats = new ItemFeatures(Map.of("text", new FloatMatrix(40, 32, f)), Map.of());
    Recommender r = ModelRegistry.get("sasrec");
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.01, "epochs", 15, "hidden_size",
        32, "inner_size", 64, "max_seq_length", 10, "train_batch_size", 64, "plugin", List.of("text"))));
    TrainedModel m = r.fit(TrainContext.of(d, cfg).withSeed(2).withItemFeatures(feats));
    double hr1 = Evaluator.evaluate(d, Split.TEST, m,
        EvalOptions.defaults().withKs(1).withMask(MaskPolicy.HISTORY)).get("HR@1");
    assertTrue(hr1 > 0.5, "test HR@1 " + hr1);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> r.fit(TrainContext.of(d, cfg)), "plug-in without features");
  }
}
