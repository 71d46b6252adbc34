package io.cliprec.models.seq;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.EpochReport;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.Validator;
import io.cliprec.models.mm.Dense;
import io.cliprec.models.train.Adam;
import io.cliprec.models.train.Checkpoint;
import io.cliprec.models.train.FlatCheckpoint;
import io.cliprec.models.train.ItemPlugin;
import io.cliprec.models.train.NonFinite;
import io.cliprec.models.train.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SASRec ({@code sasrec}) with S3-Rec's fine-tuning recipe (aHuiWang/CIKM2020-S3Rec {@code run_finetune_full.py},
 * {@code trainers.py FinetuneTrainer}, {@code datasets.py SASRecDataset}):
 *
 * <ul>
 *   <li>one training sequence per user: input = train items[:-1], targets = train items[1:] (the last
 *       {@code max_seq_length}, left-padded), users drawn in a seeded random order per epoch;
 *   <li>{@code loss_type: BCE} (S3-Rec): one uniform negative per position not in the user's sequence,
 *       loss = sum over real positions of -log(σ(h·e⁺)+1e-24) - log(1-σ(h·e⁻)+1e-24), divided by their
 *       count; {@code loss_type: CE}: full softmax over all items at every real position (mean);
 *   <li>Adam (torch update, weight decay added to the gradient as {@code torch.optim.Adam});
 *   <li>after every {@code eval_step} epochs the full-ranking {@link Evaluator} on VALID (history masked)
 *       computes {@code valid_metric}; training stops after {@code stopping_step} evaluations without
 *       improvement and the best epoch's weights are kept.
 * </ul>
 *
 * The trained model is a {@link SeqFactorModel}: user factors = encoder state at the last position of
 * the history before the target split, item factors = the item embedding table, plus the network's
 * inference form ({@link SasRecSessionEncoder}, for sessions at serving time). Defaults:
 * {@code io/cliprec/models/config/sasrec.yaml}.
 *
 * <p>Checkpoints: with {@code TrainContext.checkpointDir()} the weights, Adam state, best weights,
 * early-stopping counters and history are saved atomically after every epoch ({@link FlatCheckpoint});
 * {@code resume} continues after the last finished epoch. Batches and negatives come from a
 * {@link SplittableRandom} of (seed, epoch) and PyTorch's dropout generator is re-seeded from (seed, epoch)
 * at every epoch start, so a resumed run ends bit-identical to an uninterrupted one.
 *
 * <p>Plug-in mode (CPMM {@code SR/sasrec.py}): {@code plugin: [image, text]} adds those
 * {@link ItemFeatures} tables ({@code [numItems, hidden_size]}, from {@code TrainContext.itemFeatures()})
 * to the ID embedding at the input (frozen unless {@code plugin_frozen: false}) and, with
 * {@code plugin_in_output: true}, in the scoring table; {@code plugin_id: true} initialises the ID table
 * from the {@code id} modality.
 */
public final class SasRecRecommender implements Recommender {
  public static final String NAME = "sasrec";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(SasRecRecommender.class, "/io/cliprec/models/config/sasrec.yaml");
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    Dataset data = ctx.dataset();
    long seed = ctx.seed();
    Config used = cfg.with("seed", seed);
    int batch = cfg.getInt("train_batch_size");
    int epochs = cfg.getInt("epochs");
    int stoppingStep = cfg.getInt("stopping_step");
    int evalStep = cfg.getInt("eval_step", 1);
    double lr = cfg.getDouble("learning_rate");
    double wd = cfg.getDouble("weight_decay", 0.0);
    String lossType = cfg.getString("loss_type", "BCE").toUpperCase(Locale.ROOT);
    String negExclude = cfg.getString("neg_exclude", "sequence");
    String metric = cfg.getString("valid_metric", "NDCG@20");
    if (!lossType.equals("BCE") && !lossType.equals("CE")) {
      throw new IllegalArgumentException("loss_type must be BCE or CE, got " + lossType);
    }
    if (!negExclude.equals("sequence") && !negExclude.equals("train")) {
      throw new IllegalArgumentException("neg_exclude must be sequence or train, got " + negExclude);
    }
    if (batch <= 0 || epochs < 0 || evalStep <= 0) {
      throw new IllegalArgumentException("train_batch_size, eval_step must be > 0, epochs >= 0");
    }
    Validator validator = ctx.validator() != null ? ctx.validator() : defaultValidator(metric);

    UserSequences seqs = UserSequences.of(data);
    List<String> plugins = ItemPlugin.names(cfg);
    boolean pluginId = cfg.getBoolean("plugin_id", false);
    ItemFeatures feats = null;
    if (!plugins.isEmpty() || pluginId) {
      if (!(ctx.itemFeatures() instanceof ItemFeatures)) {
        throw new IllegalArgumentException("plugin / plugin_id need item features (--features)");
      }
      feats = ((ItemFeatures) ctx.itemFeatures()).validateRows(data);
    }
    int hidden = cfg.getInt("hidden_size");
    // features wider/narrower than hidden_size go through a trainable linear map (plugin_projection)
    int[] pluginInputs = new int[plugins.size()];
    FloatMatrix[] pluginRows = new FloatMatrix[plugins.size()];
    for (int k = 0; k < plugins.size(); k++) {
      FloatMatrix x = feature(feats, plugins.get(k));
      boolean proj = ItemPlugin.projects(cfg, x.cols(), hidden);
      pluginInputs[k] = proj ? x.cols() : 0;
      pluginRows[k] = ItemPlugin.normalizes(cfg, proj)
          ? new FloatMatrix(x.rows(), x.cols(), Dense.normalizeRows(x.data(), x.rows(), x.cols())) : x;
    }
    SasRecNet net = new SasRecNet(data.numItems(), hidden, cfg.getInt("n_heads"),
        cfg.getInt("inner_size"), cfg.getInt("n_layers"), cfg.getInt("max_seq_length"),
        cfg.getDouble("hidden_dropout_prob"), cfg.getDouble("attn_dropout_prob"), pluginInputs);
    net.init(seed);
    for (int k = 0; k < plugins.size(); k++) {
      net.setTable(net.pluginTensor(k), pluginRows[k]);
      if (!net.pluginProjected(k) && cfg.getBoolean("plugin_frozen", true)) {
        net.freeze(net.pluginTensor(k));
      }
    }
    if (pluginId) {
      net.setTable(SasRecNet.ITEM_EMB, feature(feats, "id"));
    }
    net.pluginInOutput(cfg.getBoolean("plugin_in_output", true));
    float[] params = net.params();
    Adam adam = new Adam(params.length, lr, cfg.getDouble("adam_beta1", 0.9),
        cfg.getDouble("adam_beta2", 0.999), 1e-8);
    int[][] exclude = exclusionSets(seqs, negExclude.equals("sequence"));
    int[] trainable = trainableUsers(seqs);
    int padRows = net.hidden();
    int bucketing = cfg.getInt("length_bucketing", 0); // row 0 of the item table: padding_idx=0 gets no gradient

    Checkpoint.State st = FlatCheckpoint.start(ctx, NAME, used, params, adam);
    List<Double> losses = st.loss;
    List<Double> valids = st.valid;
    List<Double> trainSecs = st.trainSeconds;
    List<Double> evalSecs = st.evalSeconds;
    float[] best = st.bestItem;
    int bestEpoch = st.bestEpoch;
    double bestValid = st.bestValid;
    int curStep = st.curStep;
    boolean stopped = st.stoppedEarly;
    int epochsRun = st.epoch;
    Engine engine = Engine.getEngine("PyTorch");
    NonFinite.Guard guard = new NonFinite.Guard("SASRec", cfg.getInt(NonFinite.MAX_SKIPS_KEY, 10),
        System.err::println);
    try (Parallel par = new Parallel(cfg.getInt("threads", 0));
        NDManager base = engine.newBaseManager()) {
      for (int epoch = st.epoch + 1; epoch <= epochs && !stopped; epoch++) {
        long t0 = System.nanoTime();
        // dropout draws from PyTorch's global generator, whose state cannot be saved: re-seeding it from
        // (seed, epoch) makes an epoch's masks independent of what ran before, so a resumed run is exact
        engine.setRandomSeed(FlatCheckpoint.dropoutSeed(seed, epoch));
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[][] plan = epochBatches(trainable, seqs, batch, bucketing, rng);
        double lossSum = 0;
        int batches = 0;
        for (int[] users : plan) {
          float loss;
          float[] grad;
          try (NDManager m = base.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray[] p = net.leaves(m, true);
            NDArray lossArr = batchLoss(m, net, p, seqs, users, exclude, lossType, rng);
            gc.backward(lossArr);
            loss = lossArr.getFloat();
            grad = net.gradients(p);
          }
          float[] g = grad;
          if (!guard.accept(epoch, batches + 1, loss, g,
              () -> NonFinite.tensors(g, net.names(), net::offset).toString())) {
            continue;
          }
          Arrays.fill(grad, net.offset(SasRecNet.ITEM_EMB), net.offset(SasRecNet.ITEM_EMB) + padRows, 0f);
          if (wd != 0) {
            for (int k = 0; k < grad.length; k++) {
              grad[k] += (float) wd * params[k];
            }
          }
          adam.update(params, grad, par);
          lossSum += loss;
          batches++;
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        double valid = Double.NaN;
        double evalSec = 0;
        boolean improved = false;
        if (epoch % evalStep == 0) {
          long t1 = System.nanoTime();
          SeqFactorModel cur = snapshot(base, net, seqs, used, null, false);
          valid = validator.validate(data, cur);
          evalSec = (System.nanoTime() - t1) / 1e9;
          if (valid > bestValid) {
            bestValid = valid;
            bestEpoch = epoch;
            best = params.clone();
            curStep = 0;
            improved = true;
          } else {
            curStep++;
            stopped = curStep > stoppingStep;
          }
        }
        epochsRun = epoch;
        double meanLoss = lossSum / Math.max(1, batches);
        losses.add(meanLoss);
        valids.add(valid);
        trainSecs.add(trainSec);
        evalSecs.add(evalSec);
        FlatCheckpoint.save(ctx.checkpointDir(), st, epoch, adam, best, bestEpoch, bestValid, curStep,
            stopped);
        ctx.listener().onEpoch(new EpochReport(epoch, meanLoss, valid, trainSec, evalSec, bestEpoch,
            improved));
      }
      if (best != null) {
        System.arraycopy(best, 0, params, 0, params.length);
      }
      TrainingHistory h = new TrainingHistory(epochsRun, bestEpoch, bestValid, metric, losses, valids,
          trainSecs, evalSecs, stopped);
      SeqFactorModel best0 = snapshot(base, net, seqs, used, h, true);
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("dataset", data.name());
      prov.put("data_hash", data.contentHash());
      prov.put("seed", Long.toString(seed));
      prov.put("java", System.getProperty("java.version"));
      prov.put("nonfinite_steps_skipped", Integer.toString(guard.skipped()));
      return new SeqFactorModel(NAME, used, h, best0.userFactors(Split.VALID),
          best0.userFactors(Split.TEST), best0.itemFactors(), prov, SasRecSessionEncoder.of(net));
    }
  }

  private static FloatMatrix feature(ItemFeatures f, String name) {
    if (!f.has(name)) {
      throw new IllegalArgumentException("item features have no '" + name + "' (have " + f.names() + ")");
    }
    return f.get(name);
  }

  /** Full-ranking {@link Evaluator} on VALID with the history masked (S3-Rec). */
  static Validator defaultValidator(String metric) {
    int at = metric.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("valid_metric must look like NDCG@20, got " + metric);
    }
    int k = Integer.parseInt(metric.substring(at + 1));
    EvalOptions opts = EvalOptions.defaults().withKs(k).withMask(MaskPolicy.HISTORY);
    return (data, scorer) -> Evaluator.evaluate(data, Split.VALID, scorer, opts).get(metric);
  }

  /**
   * One epoch's batches: users shuffled; with {@code bucketing = k > 1}, every run of {@code k * batch}
   * shuffled users is sorted by train length before being cut into batches and the batch order is
   * shuffled again (a bucket iterator: batches of similar length, much less padding). {@code k <= 1}:
   * plain random batches as S3-Rec's RandomSampler.
   */
  static int[][] epochBatches(int[] trainable, UserSequences seqs, int batch, int bucketing,
      SplittableRandom rng) {
    int[] order = trainable.clone();
    shuffle(order, rng);
    if (bucketing > 1) {
      int span = bucketing * batch;
      for (int off = 0; off < order.length; off += span) {
        int end = Math.min(order.length, off + span);
        Integer[] chunk = new Integer[end - off];
        for (int k = 0; k < chunk.length; k++) {
          chunk[k] = order[off + k];
        }
        Arrays.sort(chunk, (a, b) -> Integer.compare(seqs.train(a).length, seqs.train(b).length));
        for (int k = 0; k < chunk.length; k++) {
          order[off + k] = chunk[k];
        }
      }
    }
    int nb = (order.length + batch - 1) / batch;
    int[][] out = new int[nb][];
    for (int b = 0; b < nb; b++) {
      out[b] = Arrays.copyOfRange(order, b * batch, Math.min(order.length, (b + 1) * batch));
    }
    if (bucketing > 1) {
      for (int k = out.length - 1; k > 0; k--) {
        int j = rng.nextInt(k + 1);
        int[] tmp = out[k];
        out[k] = out[j];
        out[j] = tmp;
      }
    }
    return out;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int k = a.length - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int tmp = a[k];
      a[k] = a[j];
      a[j] = tmp;
    }
  }

  /** Users with at least two train items (fewer give no training target). */
  private static int[] trainableUsers(UserSequences s) {
    int n = 0;
    int[] out = new int[s.numUsers()];
    for (int u = 0; u < s.numUsers(); u++) {
      if (s.train(u).length >= 2) {
        out[n++] = u;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Sorted model ids a user's negatives avoid: the whole sequence (train + valid + test, S3-Rec's
   * {@code set(items)}) or the train items only.
   */
  static int[][] exclusionSets(UserSequences s, boolean wholeSequence) {
    int[][] out = new int[s.numUsers()][];
    for (int u = 0; u < s.numUsers(); u++) {
      int[] tr = s.train(u);
      int[] e = Arrays.copyOf(tr, tr.length + 2);
      int n = tr.length;
      if (wholeSequence) {
        if (s.valid(u) > 0) {
          e[n++] = s.valid(u);
        }
        if (s.test(u) > 0) {
          e[n++] = s.test(u);
        }
      }
      e = Arrays.copyOf(e, n);
      Arrays.sort(e);
      out[u] = e;
    }
    return out;
  }

  /** Uniform model id in 1..numItems not in {@code sortedExclude} (S3-Rec {@code neg_sample}). */
  static int sampleNegative(int numItems, int[] sortedExclude, SplittableRandom rng) {
    if (sortedExclude.length >= numItems) {
      return 1 + rng.nextInt(numItems);
    }
    while (true) {
      int c = 1 + rng.nextInt(numItems);
      if (Arrays.binarySearch(sortedExclude, c) < 0) {
        return c;
      }
    }
  }

  /** The scalar training loss of one batch of users (graph recorded on the leaves {@code p}). */
  static NDArray batchLoss(NDManager m, SasRecNet net, NDArray[] p, UserSequences seqs, int[] users,
      int[][] exclude, String lossType, SplittableRandom rng) {
    int bs = users.length;
    int len = 1;
    for (int u : users) {
      len = Math.max(len, Math.min(net.maxLen(), seqs.train(u).length - 1));
    }
    int[] ids = new int[bs * len];
    int[] pos = new int[bs * len];
    for (int b = 0; b < bs; b++) {
      int[] tr = seqs.train(users[b]);
      UserSequences.padLeft(tr, 0, tr.length - 1, len, ids, b * len);
      UserSequences.padLeft(tr, 1, tr.length, len, pos, b * len);
    }
    NDArray out = net.encode(m, p, net.itemTable(p), ids, bs, len, true);
    NDArray table = net.outputTable(p);
    int d = net.hidden();
    if (lossType.equals("CE")) {
      int t = 0;
      for (int v : pos) {
        t += v > 0 ? 1 : 0;
      }
      int[] rows = new int[t];
      long[] tgt = new long[t];
      int k = 0;
      for (int r = 0; r < pos.length; r++) {
        if (pos[r] > 0) {
          rows[k] = r;
          tgt[k++] = pos[r] - 1;
        }
      }
      NDArray sel = Embedding.embedding(m.create(rows), out.reshape(bs * len, d), SparseFormat.DENSE).singletonOrThrow();
      NDArray logits = sel.matMul(table.get("1:").transpose());
      NDArray picked = logits.logSoftmax(1).gather(m.create(tgt, new Shape(t, 1)), 1);
      return picked.mean().neg();
    }
    int[] neg = new int[bs * len];
    float[] ist = new float[bs * len];
    for (int b = 0; b < bs; b++) {
      for (int j = 0; j < len; j++) {
        int r = b * len + j;
        if (pos[r] > 0) {
          ist[r] = 1f;
          neg[r] = sampleNegative(net.numItems(), exclude[users[b]], rng);
        }
      }
    }
    Shape bl = new Shape(bs, len);
    NDArray posE = Embedding.embedding(m.create(pos, bl), table, SparseFormat.DENSE).singletonOrThrow();
    NDArray negE = Embedding.embedding(m.create(neg, bl), table, SparseFormat.DENSE).singletonOrThrow();
    NDArray pl = out.mul(posE).sum(new int[] {2});
    NDArray nl = out.mul(negE).sum(new int[] {2});
    NDArray w = m.create(ist, bl);
    NDArray lp = Activation.sigmoid(pl).add(1e-24f).log().neg();
    // (1 - σ) + 1e-24 in this order, as S3-Rec: 1f + 1e-24f would round to 1f and log(0) = -inf
    NDArray ln = Activation.sigmoid(nl).neg().add(1f).add(1e-24f).log().neg();
    return lp.add(ln).mul(w).sum().div(w.sum());
  }

  /**
   * Current weights as a model: VALID factors always, TEST factors when {@code both} (otherwise the VALID
   * ones stand in).
   */
  static SeqFactorModel snapshot(NDManager base, SasRecNet net, UserSequences seqs, Config used,
      TrainingHistory h, boolean both) {
    FloatMatrix items;
    FloatMatrix uv;
    FloatMatrix ut;
    try (NDManager m = base.newSubManager()) {
      NDArray[] p = net.leaves(m, false);
      NDArray table = net.itemTable(p);
      int d = net.hidden();
      items = new FloatMatrix(net.numItems(), d, net.outputTable(p).get("1:").toFloatArray());
      uv = userFactors(m, net, p, table, seqs, Split.VALID);
      ut = both ? userFactors(m, net, p, table, seqs, Split.TEST) : uv;
    }
    return new SeqFactorModel(NAME, used, h, uv, ut, items);
  }

  /** Encoder state at the last position of each user's history before {@code target}: {@code [U, d]}. */
  static FloatMatrix userFactors(NDManager base, SasRecNet net, NDArray[] p, NDArray table,
      UserSequences seqs, Split target) {
    int nu = seqs.numUsers();
    int d = net.hidden();
    float[] out = new float[nu * d];
    // users sorted by history length so that each chunk is encoded at its own (short) length
    int[][] hist = new int[nu][];
    Integer[] byLen = new Integer[nu];
    for (int u = 0; u < nu; u++) {
      hist[u] = seqs.historyBefore(u, target);
      byLen[u] = u;
    }
    Arrays.sort(byLen, (a, b) -> Integer.compare(hist[a].length, hist[b].length));
    int chunk = 512;
    for (int off = 0; off < nu; off += chunk) {
      int bs = Math.min(chunk, nu - off);
      int len = Math.max(1, Math.min(net.maxLen(), hist[byLen[off + bs - 1]].length));
      int[] ids = new int[bs * len];
      for (int b = 0; b < bs; b++) {
        int[] h = hist[byLen[off + b]];
        UserSequences.padLeft(h, 0, h.length, len, ids, b * len);
      }
      try (NDManager m = base.newSubManager()) {
        NDArray x = net.encode(m, p, table, ids, bs, len, false);
        float[] last = x.get(":, -1, :").toFloatArray();
        for (int b = 0; b < bs; b++) {
          System.arraycopy(last, b * d, out, byLen[off + b] * d, d);
        }
      }
    }
    return new FloatMatrix(nu, d, out);
  }
}
