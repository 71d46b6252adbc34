package io.cliprec.pretrain.cpmm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.TrainContext;
import io.cliprec.models.train.Adam;
import io.cliprec.models.train.Checkpoint;
import io.cliprec.models.train.FlatCheckpoint;
import io.cliprec.models.train.NdScalars;
import io.cliprec.models.train.NonFinite;
import io.cliprec.models.train.Parallel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * CPMM pre-training: learns {@link CpmmHeads} on item features with the {@link CpmmLoss} terms and
 * returns the projected views of every item. Defaults (every key, commented with its source):
 * {@code io/cliprec/pretrain/cpmm/cpmm.yaml}; {@link #defaults()} reads them.
 *
 * <p>Training: each epoch shuffles the items (seeded) into mini-batches of {@code batch_size}; a batch
 * projects view A, view B and the ID view (image + text, or a learned embedding row) with noise
 * {@code std}, and minimises λ1 · InfoNCE(A, B) + λ2 · gap + λ3 · BCE(ID ID^T, A_batch) with Adam, the
 * adjacency coming from {@link CoInteraction#fromTrain} (training rows only). Output: the heads in
 * inference mode (no noise, BN running statistics) on all items.
 */
public final class CpmmPretrainer {
  /** One finished epoch: mean loss and mean of each (unweighted) term over its batches. */
  public record EpochStats(int epoch, double loss, double contrastive, double gap, double coInteraction,
      double seconds) {}

  private CpmmPretrainer() {}

  /** The defaults with comments in {@code cpmm.yaml}. */
  public static Config defaults() {
    return Config.resource(CpmmPretrainer.class, "/io/cliprec/pretrain/cpmm/cpmm.yaml");
  }

  /** {@link #pretrain(Dataset, ItemFeatures, Config, long, Consumer)} without progress reports. */
  public static ItemFeatures pretrain(Dataset data, ItemFeatures features, Config config, long seed) {
    return pretrain(data, features, config, seed, s -> { });
  }

  /**
   * Pre-trains on {@code data}'s training rows and {@code features}' views.
   *
   * @param features must hold {@code view_a} and {@code view_b} (default {@code image}, {@code text}),
   *     same width, one row per item of {@code data}
   * @param config overrides of {@link #defaults()}
   * @param seed drives init, shuffling, noise and the learned ID table
   * @param progress called after every epoch
   * @return {@code view_a}, {@code view_b} and {@code id}, each {@code [numItems, dim]} with unit rows,
   *     plus provenance (pretrainer, config, seed, data hash, edges, per-epoch losses)
   */
  public static ItemFeatures pretrain(Dataset data, ItemFeatures features, Config config, long seed,
      Consumer<EpochStats> progress) {
    return pretrain(data, features, config, seed, null, false, progress);
  }

  /**
   * As {@link #pretrain(Dataset, ItemFeatures, Config, long, Consumer)}, writing a {@link Checkpoint} to
   * {@code checkpointDir} after every epoch (head weights and learned ID table, Adam state, batch-norm
   * running statistics, loss history). With {@code resume} and a checkpoint there, training continues after
   * its last epoch and ends with the same features as an uninterrupted run (one PyTorch thread): the
   * shuffles and noise of the finished epochs are drawn again from the seeded generator and discarded.
   *
   * @param checkpointDir where checkpoints go; null for none
   * @param resume continue from {@code checkpointDir} when it holds a checkpoint
   * @throws IllegalArgumentException when the checkpoint was made with another seed, dataset or
   *     configuration (only {@code epochs} may differ)
   */
  public static ItemFeatures pretrain(Dataset data, ItemFeatures features, Config config, long seed,
      Path checkpointDir, boolean resume, Consumer<EpochStats> progress) {
    Config cfg = defaults().merge(config);
    String va = cfg.getString("view_a", "image");
    String vb = cfg.getString("view_b", "text");
    if (!features.has(va) || !features.has(vb)) {
      throw new IllegalArgumentException("CPMM needs feature views '" + va + "' and '" + vb + "'; got "
          + features.names() + " (set view_a / view_b)");
    }
    features.validateRows(data);
    FloatMatrix a = features.get(va);
    FloatMatrix b = features.get(vb);
    if (a.cols() != b.cols()) {
      throw new IllegalArgumentException("views '" + va + "' (" + a.cols() + "-d) and '" + vb + "' ("
          + b.cols() + "-d) must have the same width: they share the projection heads");
    }
    int n = data.numItems();
    int in = a.cols();
    int dim = cfg.getInt("dim");
    int batch = cfg.getInt("batch_size");
    int epochs = cfg.getInt("epochs");
    float std = (float) cfg.getDouble("std");
    float scale = (float) cfg.getDouble("logit_scale");
    float l1 = cfg.getBoolean("contrastive", true) ? (float) cfg.getDouble("lambda1") : 0f;
    float l2 = cfg.getBoolean("modality_gap", true) ? (float) cfg.getDouble("lambda2") : 0f;
    float l3 = cfg.getBoolean("co_interaction", true) ? (float) cfg.getDouble("lambda3") : 0f;
    String idView = cfg.getString("id_view", "sum").toLowerCase(Locale.ROOT);
    if (!idView.equals("sum") && !idView.equals("embedding")) {
      throw new IllegalArgumentException("id_view must be sum or embedding, got " + idView);
    }
    if (batch < 2 || epochs < 0 || dim <= 0) {
      throw new IllegalArgumentException("batch_size must be >= 2, epochs >= 0, dim > 0");
    }
    if (l1 == 0 && l2 == 0 && l3 == 0) {
      throw new IllegalArgumentException("every CPMM loss term is switched off");
    }
    boolean learnedId = idView.equals("embedding");
    CoInteraction graph = CoInteraction.fromTrain(data);
    CpmmHeads heads = new CpmmHeads(in, dim);
    heads.init(seed);
    int hp = heads.params().length;
    float[] all = Arrays.copyOf(heads.params(), hp + (learnedId ? n * in : 0));
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    if (learnedId) {
      for (int k = hp; k < all.length; k++) {
        all[k] = (float) (gaussian(rng) * 0.02);
      }
    }
    float[] idSum = learnedId ? null : sum(a.data(), b.data());
    Adam adam = Adam.torchDefaults(all.length, cfg.getDouble("learning_rate"));
    Engine engine = Engine.getEngine("PyTorch");
    NonFinite.Guard guard = new NonFinite.Guard("CPMM", cfg.getInt(NonFinite.MAX_SKIPS_KEY, 10),
        System.err::println);
    TrainContext ctx = TrainContext.of(data, cfg).withSeed(seed)
        .withCheckpoints(checkpointDir, resume && checkpointDir != null);
    Checkpoint.State st = FlatCheckpoint.start(ctx, "cpmm", cfg, all, adam, RESUMABLE_KEYS);
    List<Double> lossHistory = st.loss;
    int start = st.epoch;
    if (start > 0) {
      heads.restoreRunningStats(runningStats(st, checkpointDir));
      for (int e = 1; e <= start; e++) {
        skipEpochDraws(rng, n, batch, in, std);
      }
    }
    try (Parallel par = new Parallel(cfg.getInt("threads", 0)); NDManager base = engine.newBaseManager()) {
      for (int epoch = start + 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        double[] sums = new double[4];
        int batches = 0;
        for (int off = 0; off + 2 <= n; off += batch) {
          int[] items = Arrays.copyOfRange(order, off, Math.min(n, off + batch));
          int bs = items.length;
          float[] ra = rows(a.data(), items, in);
          float[] rb = rows(b.data(), items, in);
          float[] rid = learnedId ? rows(all, hp, items, in) : rows(idSum, items, in);
          float[] grad;
          float[] terms = new float[4];
          float[][] running;
          try (NDManager m = base.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            System.arraycopy(all, 0, heads.params(), 0, hp);
            heads.resetStats();
            running = heads.runningStats();
            NDArray[] p = heads.leaves(m, true);
            Shape s = new Shape(bs, in);
            NDArray xa = m.create(ra, s);
            NDArray xb = m.create(rb, s);
            NDArray xid = m.create(rid, s);
            if (learnedId) {
              xid.setRequiresGradient(true);
            }
            NDArray pa = heads.project(p, xa, xa.add(noise(m, rng, bs, in, std)), false, true);
            NDArray pb = heads.project(p, xb, xb.add(noise(m, rng, bs, in, std)), false, true);
            NDArray pid = heads.project(p, xid, xid.add(noise(m, rng, bs, in, std)), true, true);
            NDArray lc = CpmmLoss.contrastive(pa, pb, scale);
            NDArray lg = CpmmLoss.modalityGap(pa, pb, pid);
            NDArray lo = CpmmLoss.coInteraction(m, pid, graph.block(items), scale);
            NDArray loss = NdScalars.mul(lc, l1).add(NdScalars.mul(lg, l2)).add(NdScalars.mul(lo, l3));
            gc.backward(loss);
            terms[0] = loss.getFloat();
            terms[1] = lc.getFloat();
            terms[2] = lg.getFloat();
            terms[3] = lo.getFloat();
            grad = new float[all.length];
            System.arraycopy(heads.gradients(p), 0, grad, 0, hp);
            if (learnedId) {
              float[] g = xid.getGradient().toFloatArray();
              for (int r = 0; r < bs; r++) {
                System.arraycopy(g, r * in, grad, hp + items[r] * in, in);
              }
            }
          }
          float[] g = grad;
          if (!guard.accept(epoch, batches + 1, terms[0], g, () -> nonFiniteTensors(g, heads, hp)
              + String.format(Locale.ROOT, " (contrastive %s, gap %s, co-interaction %s; %s)", terms[1],
                  terms[2], terms[3], heads.stats()))) {
            heads.restoreRunningStats(running);
            continue;
          }
          adam.update(all, grad, par);
          for (int k = 0; k < 4; k++) {
            sums[k] += terms[k];
          }
          batches++;
        }
        int nb = Math.max(1, batches);
        lossHistory.add(sums[0] / nb);
        float[][] running = heads.runningStats();
        for (int k = 0; k < running.length; k++) {
          st.extra.put("bn_running_" + k, running[k]);
        }
        FlatCheckpoint.save(checkpointDir, st, epoch, adam, null, 0, -1, 0, false);
        progress.accept(new EpochStats(epoch, sums[0] / nb, sums[1] / nb, sums[2] / nb, sums[3] / nb,
            (System.nanoTime() - t0) / 1e9));
      }
      System.arraycopy(all, 0, heads.params(), 0, hp);
      float[] idIn = learnedId ? Arrays.copyOfRange(all, hp, all.length) : idSum;
      Map<String, FloatMatrix> out = new LinkedHashMap<>();
      out.put(va, infer(base, heads, a.data(), n, in, false));
      out.put(vb, infer(base, heads, b.data(), n, in, false));
      out.put("id", infer(base, heads, idIn, n, in, true));
      Map<String, Object> prov = new LinkedHashMap<>();
      prov.put("pretrainer", "cpmm");
      prov.put("reference", "Anonymous63525/CPMM CPMM_main.py");
      prov.put("config", cfg.asMap());
      prov.put("seed", seed);
      prov.put("data", data.name());
      prov.put("data_hash", data.contentHash());
      prov.put("co_interaction_edges", graph.numEdges());
      prov.put("co_interaction_source", "train");
      prov.put("input_views", List.of(va, vb));
      prov.put("input_provenance", features.provenance());
      prov.put("epoch_loss", lossHistory);
      prov.put("nonfinite_steps_skipped", guard.skipped());
      return new ItemFeatures(out, prov);
    }
  }

  /** Config keys that may change between a checkpoint and its resumption. */
  private static final java.util.Set<String> RESUMABLE_KEYS = java.util.Set.of("epochs", "threads");

  private static float[][] runningStats(Checkpoint.State st, Path dir) {
    if (st.extra.size() != 12) {
      throw new IllegalArgumentException("checkpoint in " + dir + " lacks the batch-norm running statistics");
    }
    float[][] r = new float[12][];
    for (int k = 0; k < 12; k++) {
      r[k] = st.extra.get("bn_running_" + k);
    }
    return r;
  }

  /**
   * Draws from {@code rng} exactly what one training epoch draws (the shuffle, then three noise blocks per
   * batch), so that a resumed run continues the same random sequence.
   */
  static void skipEpochDraws(SplittableRandom rng, int n, int batch, int in, float std) {
    for (int i = n - 1; i > 0; i--) {
      rng.nextInt(i + 1);
    }
    if (std == 0f) {
      return;
    }
    for (int off = 0; off + 2 <= n; off += batch) {
      long draws = 3L * (Math.min(n, off + batch) - off) * in;
      for (long k = 0; k < draws; k++) {
        gaussian(rng);
      }
    }
  }

  /** Inference-mode projection of all items ({@code [n, in]} row-major), in chunks. */
  private static FloatMatrix infer(NDManager base, CpmmHeads heads, float[] x, int n, int in,
      boolean id) {
    int dim = heads.dim();
    float[] out = new float[n * dim];
    int chunk = 4096;
    for (int off = 0; off < n; off += chunk) {
      int bs = Math.min(chunk, n - off);
      try (NDManager m = base.newSubManager()) {
        NDArray[] p = heads.leaves(m, false);
        NDArray xr = m.create(Arrays.copyOfRange(x, off * in, (off + bs) * in), new Shape(bs, in));
        float[] y = heads.project(p, xr, xr, id, false).toFloatArray();
        System.arraycopy(y, 0, out, off * dim, bs * dim);
      }
    }
    return new FloatMatrix(n, dim, out);
  }

  private static NDArray noise(NDManager m, SplittableRandom rng, int rows, int cols, float std) {
    float[] z = new float[rows * cols];
    if (std != 0f) {
      for (int k = 0; k < z.length; k++) {
        z[k] = (float) (gaussian(rng) * std);
      }
    }
    return m.create(z, new Shape(rows, cols));
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static float[] sum(float[] x, float[] y) {
    float[] z = new float[x.length];
    for (int k = 0; k < z.length; k++) {
      z[k] = x[k] + y[k];
    }
    return z;
  }

  private static float[] rows(float[] x, int[] items, int in) {
    return rows(x, 0, items, in);
  }

  private static float[] rows(float[] x, int base, int[] items, int in) {
    float[] out = new float[items.length * in];
    for (int r = 0; r < items.length; r++) {
      System.arraycopy(x, base + items[r] * in, out, r * in, in);
    }
    return out;
  }

  /** The head tensors (and the learned ID table) whose gradient holds a NaN or an infinity. */
  private static String nonFiniteTensors(float[] grad, CpmmHeads heads, int hp) {
    List<String> names = new ArrayList<>(heads.names());
    int nh = names.size();
    if (grad.length > hp) {
      names.add("learned_id");
    }
    return NonFinite.tensors(grad, names, t -> t < nh ? heads.offset(t) : hp).toString();
  }
}
