package io.cliprec.models.seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Models;
import io.cliprec.models.Recommender;
import io.cliprec.models.SessionEncoder;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.train.FactorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java SASRec forward pass against the DJL/PyTorch one it mirrors. */
class SasRecSessionEncoderTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void erfAndGeluMatchReferenceValues() {
    // erf(0.5), erf(1), erf(2), erf(-1.5) to 10 digits
    assertEquals(0.5204998778, SasRecSessionEncoder.erf(0.5), 2e-7);
    assertEquals(0.8427007929, SasRecSessionEncoder.erf(1.0), 2e-7);
    assertEquals(0.9953222650, SasRecSessionEncoder.erf(2.0), 2e-7);
    assertEquals(-0.9661051465, SasRecSessionEncoder.erf(-1.5), 2e-7);
    assertEquals(0.0, SasRecSessionEncoder.erf(0.0), 2e-7);
    // torch.nn.functional.gelu(torch.tensor([1.0, -0.5])) = 0.8413447, -0.1542687
    assertEquals(0.8413447f, SasRecSessionEncoder.gelu(1f), 1e-6f);
    assertEquals(-0.1542687f, SasRecSessionEncoder.gelu(-0.5f), 1e-6f);
  }

  /** Untrained net with weights scaled up (sharp attention) and a plug-in table: every length. */
  @Test
  void matchesTheDjlForwardPassAtEveryLength() {
    int items = 30;
    int d = 16;
    int maxLen = 7;
    SasRecNet net = new SasRecNet(items, d, 2, 32, 2, maxLen, 0.2, 0.2, 1);
    net.init(9L);
    float[] p = net.params();
    for (int k = 0; k < p.length; k++) {
      p[k] *= 20; // N(0, 0.4): attention far from uniform; LayerNorm weights 20
    }
    SplittableRandom rng = new SplittableRandom(4);
    float[] plug = new float[items * d];
    for (int k = 0; k < plug.length; k++) {
      plug[k] = (float) rng.nextDouble(-1, 1);
    }
    net.setTable(net.pluginTensor(0), new FloatMatrix(items, d, plug));
    SasRecSessionEncoder enc = SasRecSessionEncoder.of(net);
    assertEquals(maxLen, enc.maxLength());
    assertEquals(d, enc.dim());
    double worst = 0;
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray[] leaves = net.leaves(m, false);
      NDArray table = net.itemTable(leaves);
      for (int len = 1; len <= maxLen; len++) {
        int[] session = new int[len];
        int[] ids = new int[maxLen]; // left-padded model ids (item + 1), full length
        for (int j = 0; j < len; j++) {
          session[j] = rng.nextInt(items);
          ids[maxLen - len + j] = session[j] + 1;
        }
        float[] want = net.encode(m, leaves, table, ids, 1, maxLen, false).get(":, -1, :").toFloatArray();
        float[] got = enc.encode(session);
        worst = Math.max(worst, maxAbsDiff(want, got));
      }
    }
    System.out.println("untrained, scaled weights: max |java - djl| = " + worst);
    assertTrue(worst < 1e-4, "max |java - djl| = " + worst);
    // longer sessions keep their last maxLen items
    int[] longer = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertArrayEquals(enc.encode(Arrays.copyOfRange(longer, 3, 10)), enc.encode(longer), 0f);
    assertThrows(IllegalArgumentException.class, () -> enc.encode(new int[0]));
    assertThrows(IllegalArgumentException.class, () -> enc.encode(new int[] {items}));
  }

  /**
   * A trained SASRec (defaults: 2 layers, 2 heads, hidden 64, plus a plug-in table): the Java encoder on a
   * user's test-time history equals the user factors the DJL pass computed during training (max |diff| at
   * float32 rounding level), with the same top-10; it survives save/load through the model directory.
   */
  @Test
  void reproducesATrainedModelsUserFactors(@TempDir Path tmp) throws Exception {
    Dataset data = SasRecTest.cyclic(200, 40, 3L);
    SplittableRandom rng = new SplittableRandom(7);
    float[] f = new float[40 * 64];
    for (int k = 0; k < f.length; k++) {
      f[k] = (float) (rng.nextDouble(-1, 1) * 0.1);
    }
    ItemFeatures feats = new ItemFeatures(Map.of("text", new FloatMatrix(40, 64, f)), Map.of());
    Recommender r = ModelRegistry.get("sasrec");
    // max_seq_length 8 < the longest histories (up to 11 items): truncation is exercised too
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.005, "epochs", 4,
        "max_seq_length", 8, "train_batch_size", 64, "plugin", List.of("text"))));
    TrainedModel m = r.fit(TrainContext.of(data, cfg).withSeed(5).withItemFeatures(feats));
    SessionEncoder enc = m.sessionEncoder();
    assertNotNull(enc);
    assertEquals("sasrec", enc.method());
    UserSequences seqs = UserSequences.of(data);
    FloatMatrix users = m.userFactors(Split.TEST);
    FloatMatrix items = m.itemFactors();
    int d = items.cols();
    double worst = 0;
    int longer = 0;
    for (int u = 0; u < data.numUsers(); u++) {
      int[] hist = seqs.historyBefore(u, Split.TEST);
      longer += hist.length > 8 ? 1 : 0;
      int[] session = new int[hist.length];
      for (int j = 0; j < hist.length; j++) {
        session[j] = hist[j] - 1;
      }
      float[] got = enc.encode(session);
      float[] want = Arrays.copyOfRange(users.data(), u * d, (u + 1) * d);
      worst = Math.max(worst, maxAbsDiff(want, got));
      assertArrayEquals(top(want, items, 10), top(got, items, 10), "user " + u);
    }
    assertTrue(longer > 10, "histories beyond max_seq_length: " + longer);
    System.out.println("trained: max |java - djl| over " + data.numUsers() + " users = " + worst);
    assertTrue(worst < 2e-5, "max |java - djl| = " + worst);

    m.save(tmp.resolve("m"));
    assertTrue(Files.isRegularFile(tmp.resolve("m/session_encoder/" + SessionEncoder.FILE)));
    SessionEncoder back = Models.load(tmp.resolve("m")).sessionEncoder();
    assertNotNull(back);
    int[] s = {3, 14, 15, 9, 2, 6};
    assertArrayEquals(enc.encode(s), back.encode(s), 0f);
  }

  @Test
  void nonSequentialModelsHaveNone() {
    assertNull(new FactorModel("bpr", Config.empty(), null, new FloatMatrix(2, 3), new FloatMatrix(4, 3))
        .sessionEncoder());
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double w = 0;
    for (int k = 0; k < a.length; k++) {
      w = Math.max(w, Math.abs(a[k] - b[k]));
    }
    return w;
  }

  /** Indices of the k largest {@code q · items[i]}. */
  private static int[] top(float[] q, FloatMatrix items, int k) {
    int d = items.cols();
    Integer[] idx = new Integer[items.rows()];
    double[] s = new double[items.rows()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
      for (int c = 0; c < d; c++) {
        s[i] += (double) q[c] * items.data()[i * d + c];
      }
    }
    Arrays.sort(idx, (a, b) -> Double.compare(s[b], s[a]));
    return Arrays.stream(idx).limit(k).mapToInt(Integer::intValue).toArray();
  }
}
