package io.cliprec.models.mp4sr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4srNetTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  /** Users walk items in a fixed cyclic order (step 7) from a random start: learnable from the order. */
  public static Dataset cyclic(int users, int items, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> tr = new ArrayList<>();
    List<int[]> va = new ArrayList<>();
    List<int[]> te = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int start = rng.nextInt(items);
      int n = 5 + rng.nextInt(6);
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

  /** Random text and image features of width {@code d} (text: two features, several vectors per item). */
  public static ItemFeatures features(int items, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, FloatMatrix> m = new java.util.LinkedHashMap<>();
    for (String name : new String[] {"text", "text.title", "image"}) {
      float[] x = new float[items * d];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) (r.nextDouble() * 2 - 1);
      }
      m.put(name, new FloatMatrix(items, d, x));
    }
    return new ItemFeatures(m, Map.of());
  }

  static Config small() {
    return new Mp4srRecommender().defaults().merge(Config.of(Map.of("hidden_size", 16, "inner_size", 32,
        "n_exps", 3, "max_seq_length", 10, "epochs", 3, "train_batch_size", 64, "threads", 1)));
  }

  /** Gradient L2 norm of the text attention tensors after one fine-tuning loss backward. */
  static double attentionGradient(boolean detach) {
    Dataset d = cyclic(20, 15, 1);
    Config cfg = small().with("text_features", List.of("text", "text.title")).with("attn_detach", detach);
    Mp4srNet net = Mp4srRecommender.network(d, features(15, 8, 2), cfg);
    net.init(3);
    assertEquals(2, net.input(Mp4srNet.TEXT).k());
    PrefixSamples s = new PrefixSamples(io.cliprec.models.seq.UserSequences.of(d), 10);
    Engine e = Engine.getEngine("PyTorch");
    try (NDManager m = e.newBaseManager(); GradientCollector gc = e.newGradientCollector()) {
      Mp4srNet.Pass pass = net.pass(m, true, true);
      NDArray loss = Mp4srRecommender.fineTuneLoss(pass, m, s.batch(new int[] {0, 1, 2, 3}, 0,
          new SplittableRandom(1)), true, 0.07);
      gc.backward(loss);
      float[] g = net.adaptor().gradients(pass.q);
      double n = 0;
      for (int t = 0; t < net.adaptor().count(); t++) {
        if (net.adaptor().name(t).startsWith("text.attn.")) {
          for (int k = 0; k < net.adaptor().length(t); k++) {
            double v = g[net.adaptor().offset(t) + k];
            n += v * v;
          }
        }
      }
      return Math.sqrt(n);
    }
  }

  @Test
  void attentionPoolingTrainsUnlessTheReferenceDetachIsAsked() {
    assertTrue(attentionGradient(false) > 1e-6, "the pooling layer must receive gradient");
    assertEquals(0.0, attentionGradient(true), 0.0);
  }

  @Test
  void finetunesBetterThanChanceAndLoadsPretrainedWeights(@TempDir Path tmp) throws Exception {
    Dataset d = cyclic(150, 30, 5);
    ItemFeatures f = features(30, 12, 6);
    Config cfg = small().with("epochs", 15);
    // weights saved by one network load into another (what `pretrain mp4sr` hands to fine-tuning)
    Mp4srNet pre = Mp4srRecommender.network(d, f, cfg);
    pre.init(9);
    pre.save(tmp.resolve("pre"), cfg, Map.of());
    Mp4srNet fresh = Mp4srRecommender.network(d, f, cfg);
    fresh.init(10);
    List<String> loaded = fresh.loadPretrained(tmp.resolve("pre"));
    assertFalse(loaded.contains("item_embeddings"), "the ID table is never transferred");
    assertTrue(loaded.contains("position_embeddings") && loaded.contains("text.moe.gate"));
    assertEquals(pre.adaptor().params()[5], fresh.adaptor().params()[5]);

    TrainedModel model = ModelRegistry.get("mp4sr").fit(TrainContext.of(d, cfg.with("pretrained",
        tmp.resolve("pre").toString())).withSeed(1).withItemFeatures(f).withCheckpoints(tmp.resolve("ck"), false));
    double hr = Evaluator.evaluate(d, Split.TEST, model,
        EvalOptions.defaults().withKs(10).withMask(MaskPolicy.HISTORY)).get("HR@10");
    assertTrue(hr > 0.6, "HR@10 " + hr + " should clearly beat random (about 0.35) on cyclic data");
    assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("ck").resolve("LATEST")));
  }

  @Test
  void resumeEndsWhereAnUninterruptedRunEnds(@TempDir Path tmp) {
    Dataset d = cyclic(60, 40, 7);
    ItemFeatures f = features(40, 8, 8);
    Config cfg = small().with("epochs", 4).with("stopping_step", 100).with("valid_metric", "NDCG@5");
    TrainedModel full = ModelRegistry.get("mp4sr").fit(TrainContext.of(d, cfg).withSeed(2)
        .withItemFeatures(f).withCheckpoints(tmp.resolve("a"), false));
    ModelRegistry.get("mp4sr").fit(TrainContext.of(d, cfg.with("epochs", 2)).withSeed(2)
        .withItemFeatures(f).withCheckpoints(tmp.resolve("b"), false));
    TrainedModel resumed = ModelRegistry.get("mp4sr").fit(TrainContext.of(d, cfg).withSeed(2)
        .withItemFeatures(f).withCheckpoints(tmp.resolve("b"), true));
    // same batches, augmentation and dropout streams: equal losses up to float rounding
    for (int e = 0; e < 4; e++) {
      assertEquals(full.history().loss().get(e), resumed.history().loss().get(e), 1e-5, "epoch " + (e + 1));
    }
    assertEquals(full.history().bestEpoch(), resumed.history().bestEpoch());
    float[] x = ((io.cliprec.models.seq.SeqFactorModel) full).itemFactors().data();
    float[] y = ((io.cliprec.models.seq.SeqFactorModel) resumed).itemFactors().data();
    assertEquals(x.length, y.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i], y[i], 1e-3, "item factor " + i);
    }
  }

  @Test
  void sameSeedGivesTheSameModel(@TempDir Path tmp) {
    Dataset d = cyclic(60, 20, 7);
    ItemFeatures f = features(20, 8, 8);
    Config cfg = small().with("epochs", 2).with("stopping_step", 100);
    float[] x = ((io.cliprec.models.seq.SeqFactorModel) ModelRegistry.get("mp4sr").fit(
        TrainContext.of(d, cfg).withSeed(2).withItemFeatures(f))).itemFactors().data();
    float[] y = ((io.cliprec.models.seq.SeqFactorModel) ModelRegistry.get("mp4sr").fit(
        TrainContext.of(d, cfg).withSeed(2).withItemFeatures(f))).itemFactors().data();
    assertEquals(x[0], y[0], 0f);
    assertEquals(x[x.length - 1], y[y.length - 1], 0f);
  }

  /** The served session encoder reproduces the trained model's own user vectors and survives save/load. */
  @Test
  void sessionEncoderMatchesTheTrainedUserFactors(@TempDir Path tmp) throws Exception {
    Dataset d = cyclic(60, 25, 11);
    ItemFeatures f = features(25, 8, 12);
    Config cfg = small().with("epochs", 2).with("stopping_step", 100).with("max_seq_length", 6);
    TrainedModel model = ModelRegistry.get("mp4sr").fit(TrainContext.of(d, cfg).withSeed(3)
        .withItemFeatures(f));
    io.cliprec.models.SessionEncoder enc = model.sessionEncoder();
    assertTrue(enc != null, "fine-tuned MP4SR carries a session encoder");
    assertEquals("mp4sr", enc.method());
    FloatMatrix users = model.userFactors(Split.TEST);
    int w = users.cols();
    assertEquals(w, enc.dim());
    io.cliprec.models.seq.UserSequences seqs = io.cliprec.models.seq.UserSequences.of(d);
    double worst = 0;
    int truncated = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      int[] hist = seqs.historyBefore(u, Split.TEST);
      truncated += hist.length > 6 ? 1 : 0;
      int[] session = new int[hist.length];
      for (int j = 0; j < hist.length; j++) {
        session[j] = hist[j] - 1;
      }
      float[] got = enc.encode(session);
      for (int c = 0; c < w; c++) {
        worst = Math.max(worst, Math.abs(got[c] - users.data()[u * w + c]));
      }
    }
    assertTrue(truncated > 0, "some histories are longer than max_seq_length");
    assertTrue(worst < 1e-4, "max |java - djl| = " + worst);
    model.save(tmp.resolve("m"));
    io.cliprec.models.SessionEncoder back = io.cliprec.models.Models.load(tmp.resolve("m")).sessionEncoder();
    int[] s = {3, 14, 15, 9, 2, 6, 5, 3};
    assertArrayEquals(enc.encode(s), back.encode(s), 0f);
  }

  @Test
  void missingModalityIsAClearError() {
    Dataset d = cyclic(10, 15, 1);
    Config cfg = small().with("image_features", List.of("photo"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Mp4srRecommender.network(d, features(15, 8, 2), cfg));
    assertTrue(e.getMessage().contains("photo"), e.getMessage());
  }
}
