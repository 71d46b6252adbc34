package io.cliprec.pretrain.cpmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpmmTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static Interactions rows(int[][] ui) {
    int[] u = new int[ui.length];
    int[] i = new int[ui.length];
    for (int k = 0; k < ui.length; k++) {
      u[k] = ui[k][0];
      i[k] = ui[k][1];
    }
    return new Interactions(u, i, null, null, null);
  }

  @Test
  void adjacencyComesFromTrainOnly() {
    // user 0: train {0, 1}; user 1: train {2}, valid {3}, test {0}; user 2: train {1, 4}
    Dataset d = new Dataset("t", IdIndex.identity(3), IdIndex.identity(5),
        rows(new int[][] {{0, 0}, {0, 1}, {1, 2}, {2, 1}, {2, 4}}), rows(new int[][] {{1, 3}}),
        rows(new int[][] {{1, 0}}), Protocol.MMREC, Map.of());
    CoInteraction g = CoInteraction.fromTrain(d);
    assertEquals(4, g.numEdges()); // {0,1} and {1,4}, both directions
    assertTrue(g.adjacent(0, 1) && g.adjacent(1, 0) && g.adjacent(4, 1));
    assertFalse(g.adjacent(2, 3), "valid row leaked");
    assertFalse(g.adjacent(2, 0), "test row leaked");
    assertFalse(g.adjacent(0, 4), "second-order pair is not first-order");
    for (int i = 0; i < 5; i++) {
      assertTrue(g.adjacent(i, i), "self-loop");
    }
    assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1}, g.block(new int[] {1, 2, 4}));
  }

  @Test
  void lossTermsMatchHandComputation() {
    float r = (float) (1 / Math.sqrt(2));
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray img = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray txt = m.create(new float[] {1, 0, r, r}, new Shape(2, 2));
      NDArray ids = m.create(new float[] {0, 1, 0, 1}, new Shape(2, 2));
      // logits (scale 1): [[1, r], [0, r]]; rows: -log softmax at the diagonal
      double row0 = Math.log(Math.exp(1) + Math.exp(r)) - 1;
      double row1 = Math.log(Math.exp(0) + Math.exp(r)) - r;
      // transposed: [[1, 0], [r, r]]
      double col0 = Math.log(Math.exp(1) + Math.exp(0)) - 1;
      double col1 = Math.log(Math.exp(r) + Math.exp(r)) - r;
      double expected = ((row0 + row1) / 2 + (col0 + col1) / 2) / 2;
      assertEquals(expected, CpmmLoss.contrastive(img, txt, 1f).getFloat(), 1e-5);
      // gap: txt-ids = [1,-1] (sqrt 2), [r, r-1]; img-ids = [1,-1] (sqrt 2), [0, 0]
      double t = (Math.sqrt(2) + Math.hypot(r, r - 1)) / 2;
      double i = (Math.sqrt(2) + 0) / 2;
      assertEquals((t + i) / 2, CpmmLoss.modalityGap(img, txt, ids).getFloat(), 1e-5);
      // BCE: z = 2 * ids idsT = all 2; adjacency [[1,0],[0,1]]
      double pos = Math.log(1 + Math.exp(-2));
      double neg = Math.log(1 + Math.exp(2));
      assertEquals((2 * pos + 2 * neg) / 4,
          CpmmLoss.coInteraction(m, ids, new float[] {1, 0, 0, 1}, 2f).getFloat(), 1e-5);
    }
  }

  /** Random data: 60 users over 40 items, 16-d image and text features. */
  private static Dataset randomData() {
    SplittableRandom rng = new SplittableRandom(9);
    List<int[]> tr = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      for (int k = 0; k < 4; k++) {
        tr.add(new int[] {u, (u % 10) * 4 + rng.nextInt(4)});
      }
    }
    return new Dataset("r", IdIndex.identity(60), IdIndex.identity(40),
        rows(tr.toArray(new int[0][])), Interactions.empty(), Interactions.empty(), Protocol.MMREC,
        Map.of());
  }

  private static ItemFeatures randomFeatures(int n, int d) {
    SplittableRandom rng = new SplittableRandom(4);
    float[] a = new float[n * d];
    float[] b = new float[n * d];
    for (int k = 0; k < a.length; k++) {
      a[k] = (float) rng.nextDouble(-1, 1);
      b[k] = a[k] * 0.5f + (float) rng.nextDouble(-1, 1);
    }
    return new ItemFeatures(Map.of("image", new FloatMatrix(n, d, a), "text", new FloatMatrix(n, d, b)),
        Map.of());
  }

  /**
   * F.normalize's gradient at an all-zero row is finite (x / eps: w / eps, as PyTorch), where a plain
   * sqrt(Σx²) norm would give inf · 0 = NaN.
   */
  @Test
  void normalizeHasAFiniteGradientAtAZeroRow() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
        ai.djl.training.GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray x = m.create(new float[] {0, 0, 0, 3, 4, 0}, new Shape(2, 3));
      x.setRequiresGradient(true);
      NDArray y = CpmmHeads.normalize(x);
      gc.backward(y.mul(m.create(new float[] {1, 2, 3, 1, 2, 3}, new Shape(2, 3))).sum());
      assertArrayEquals(new float[] {0, 0, 0, 0.6f, 0.8f, 0}, y.toFloatArray(), 1e-6f);
      float[] g = x.getGradient().toFloatArray();
      for (float v : g) {
        assertTrue(Float.isFinite(v), java.util.Arrays.toString(g));
      }
      // row 1: y = x / 1e-12, so w / 1e-12; row 2: (w - (w . u) u) / |x|, u = (0.6, 0.8, 0), w . u = 2.2
      assertArrayEquals(new float[] {1e12f, 2e12f, 3e12f}, java.util.Arrays.copyOf(g, 3), 1e6f);
      assertArrayEquals(new float[] {(1 - 2.2f * 0.6f) / 5, (2 - 2.2f * 0.8f) / 5, 3f / 5},
          java.util.Arrays.copyOfRange(g, 3, 6), 1e-6f);
    }
  }

  @Test
  void pretrainsDeterministicUnitFeaturesAndLossFalls() {
    Dataset d = randomData();
    ItemFeatures f = randomFeatures(40, 16);
    Config c = Config.of(Map.of("dim", 8, "epochs", 20, "batch_size", 16, "learning_rate", 0.01));
    List<CpmmPretrainer.EpochStats> stats = new ArrayList<>();
    ItemFeatures out = CpmmPretrainer.pretrain(d, f, c, 5L, stats::add);
    assertEquals(List.of("image", "text", "id"), new ArrayList<>(out.names()));
    for (String name : out.names()) {
      FloatMatrix x = out.get(name);
      assertEquals(40, x.rows());
      assertEquals(8, x.cols());
      for (int r = 0; r < 40; r++) {
        double s = 0;
        for (float v : x.row(r)) {
          s += v * v;
        }
        assertEquals(1.0, s, 1e-4, name + " row " + r);
      }
    }
    assertEquals(20, stats.size());
    assertTrue(stats.get(19).loss() < stats.get(0).loss(), stats.get(0) + " -> " + stats.get(19));
    assertEquals("cpmm", out.provenance().get("pretrainer"));
    assertEquals("train", out.provenance().get("co_interaction_source"));
    ItemFeatures again = CpmmPretrainer.pretrain(d, f, c, 5L);
    assertArrayEquals(out.get("id").data(), again.get("id").data(), "same seed, same output");
  }

  @Test
  void ablationsLearnedIdAndBadInput() {
    Dataset d = randomData();
    ItemFeatures f = randomFeatures(40, 16);
    Config c = Config.of(Map.of("dim", 8, "epochs", 2, "batch_size", 16));
    ItemFeatures full = CpmmPretrainer.pretrain(d, f, c, 1L);
    ItemFeatures noCo = CpmmPretrainer.pretrain(d, f, c.with("co_interaction", false), 1L);
    assertFalse(java.util.Arrays.equals(full.get("id").data(), noCo.get("id").data()));
    ItemFeatures learned = CpmmPretrainer.pretrain(d, f, c.with("id_view", "embedding"), 1L);
    assertEquals(8, learned.get("id").cols());
    assertThrows(IllegalArgumentException.class, () -> CpmmPretrainer.pretrain(d, f,
        c.with("contrastive", false).with("modality_gap", false).with("co_interaction", false), 1L));
    assertThrows(IllegalArgumentException.class, () -> CpmmPretrainer.pretrain(d, f,
        c.with("view_b", "title"), 1L));
  }

  /** Stopped after 3 epochs and resumed to 6: the same features as 6 epochs in one go. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sum", "embedding"})
  void resumedRunEqualsUninterrupted(String idView, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Dataset d = randomData();
    ItemFeatures f = randomFeatures(40, 16);
    Config c = Config.of(Map.of("dim", 8, "epochs", 6, "batch_size", 16, "learning_rate", 0.01,
        "id_view", idView));
    ItemFeatures whole = CpmmPretrainer.pretrain(d, f, c, 5L);
    java.nio.file.Path ck = tmp.resolve("checkpoint");
    List<CpmmPretrainer.EpochStats> first = new ArrayList<>();
    CpmmPretrainer.pretrain(d, f, c.with("epochs", 3), 5L, ck, false, first::add);
    assertEquals(3, first.size());
    List<CpmmPretrainer.EpochStats> rest = new ArrayList<>();
    ItemFeatures resumed = CpmmPretrainer.pretrain(d, f, c, 5L, ck, true, rest::add);
    assertEquals(4, rest.get(0).epoch(), "continues after the checkpoint's epoch");
    assertEquals(3, rest.size());
    for (String name : whole.names()) {
      assertArrayEquals(whole.get(name).data(), resumed.get(name).data(), name);
    }
    assertEquals(whole.provenance().get("epoch_loss"), resumed.provenance().get("epoch_loss"));
    // a changed configuration or seed is refused
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CpmmPretrainer.pretrain(d, f, c.with("std", 0.5), 5L, ck, true, s -> { }));
    assertTrue(e.getMessage().contains("std"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CpmmPretrainer.pretrain(d, f, c, 6L, ck, true, s -> { }));
  }
}
