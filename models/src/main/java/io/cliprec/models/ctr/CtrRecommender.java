package io.cliprec.models.ctr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.ItemAttributes;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.CtrMetrics;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.split.CtrSplits;
import io.cliprec.core.split.Splitters;
import io.cliprec.models.EpochReport;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.train.Adam;
import io.cliprec.models.train.Checkpoint;
import io.cliprec.models.train.FlatCheckpoint;
import io.cliprec.models.train.FlatParams;
import io.cliprec.models.train.NdScalars;
import io.cliprec.models.train.NonFinite;
import io.cliprec.models.train.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A click-through-rate recommender ({@link DeepFmRecommender}, {@link XDeepFmRecommender}): learns click
 * probabilities of (user, item) pairs from labelled rows, as CPMM's {@code CTR/main_ctr.py}:
 *
 * <ul>
 *   <li>data: {@link #prepare} makes any dataset a labelled CTR dataset with a validation split
 *       ({@link CtrSplits}); {@link #fitCtr} needs one;
 *   <li>every epoch the training rows are shuffled (seeded) and cut into {@code train_batch_size}
 *       batches; loss = mean BCE with logits + {@code reg_weight} &middot; {@link CtrNet#addRegGradient}
 *       (xDeepFM: a batch goes through the network in passes of {@link CtrNet#microRows()} rows,
 *       {@code micro_batch_rows}, gradients accumulated);
 *       Adam with {@code weight_decay} added to the gradient of every trainable tensor (torch);
 *   <li>after every epoch the AUC of the whole VALID split is computed; training stops after
 *       {@code stopping_step} epochs in a row without improvement (CPMM EarlyStopping) or at
 *       {@code epochs}, and the best epoch's weights are kept.
 * </ul>
 *
 * Deterministic for a seed (weights, shuffles and dropout masks are seeded; run PyTorch with one thread
 * for bit-identical results). Not a ranking model: {@link #fit} refuses; use {@link #fitCtr}.
 *
 * <p>Checkpoints (as SASRec, {@link FlatCheckpoint}): with {@code TrainContext.checkpointDir()} the
 * weights, Adam state, best weights, early-stopping counters and history are saved atomically after every
 * epoch; {@code resume} continues after the last finished epoch (a finished or early-stopped run trains no
 * further). Epoch e's shuffle comes from a {@link SplittableRandom} of (seed, e) and PyTorch's dropout
 * generator is re-seeded from (seed, e) at its start, so a resumed run ends bit-identical to an
 * uninterrupted one.
 */
public abstract class CtrRecommender implements Recommender {
  /** The architecture. */
  protected abstract CtrNet.Kind kind();

  @Override
  public Config defaults() {
    return Config.resource(CtrRecommender.class, "/io/cliprec/models/config/" + name() + ".yaml");
  }

  /**
   * Refuses: a CTR model predicts click probabilities of given pairs and is evaluated with AUC and
   * LogLoss, not by ranking the catalogue.
   */
  @Override
  public TrainedModel fit(TrainContext ctx) {
    throw new IllegalArgumentException(name() + " is a click-through-rate model (AUC/LogLoss), not a "
        + "ranking model: train it with 'cliprec train' or CtrRecommender.fitCtr");
  }

  /**
   * The CTR dataset a run trains and evaluates on: {@code d} itself when it has click labels and VALID
   * rows; with labels but no VALID rows, {@link CtrSplits#validFrom} ({@code ctr.valid}: test or train,
   * {@code ctr.valid_fraction}); without labels, {@link CtrSplits#negativeSampling}
   * ({@code ctr.negatives}), all seeded by {@code ctr.seed} (else {@code split.seed}, else 42).
   *
   * @param cfg the model configuration (defaults merged with overrides)
   */
  public static Dataset prepare(Dataset d, Config cfg) {
    long seed = cfg.getLong("ctr.seed", Splitters.seed(cfg));
    Dataset out = d;
    if (!CtrSplits.labelled(out)) {
      out = CtrSplits.negativeSampling(out, cfg.getInt("ctr.negatives", 1), seed);
    }
    if (out.valid().size() == 0) {
      String v = cfg.getString("ctr.valid", "test").toLowerCase(Locale.ROOT);
      if (!v.equals("test") && !v.equals("train")) {
        throw new IllegalArgumentException("ctr.valid must be test or train, got '" + v + "'");
      }
      out = CtrSplits.validFrom(out, v.equals("test") ? Split.TEST : Split.TRAIN,
          cfg.getDouble("ctr.valid_fraction", 0.5), seed);
    }
    return out.protocol() == io.cliprec.core.data.Protocol.CTR ? out
        : out.withProtocol(io.cliprec.core.data.Protocol.CTR);
  }

  /**
   * Class index per item from item attribute {@code field}: distinct values in ascending order (numeric
   * order when all are integers); items without a value get one extra "unknown" class. Null when the
   * field is empty or the data has no such attribute.
   */
  static int[] itemClasses(Dataset d, String field) {
    ItemAttributes a = d.itemAttributes();
    if (field == null || field.isEmpty() || !a.has(field)) {
      return null;
    }
    String[] col = a.column(field);
    boolean numeric = true;
    for (String s : col) {
      if (s != null && !s.matches("-?\\d{1,18}")) {
        numeric = false;
        break;
      }
    }
    final boolean num = numeric;
    TreeMap<String, Integer> idx = new TreeMap<>(num
        ? (x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y)) : String::compareTo);
    for (String s : col) {
      if (s != null) {
        idx.put(s, 0);
      }
    }
    int k = 0;
    for (Map.Entry<String, Integer> e : idx.entrySet()) {
      e.setValue(k++);
    }
    int unknown = idx.size();
    int[] out = new int[col.length];
    for (int i = 0; i < col.length; i++) {
      out[i] = col[i] == null ? unknown : idx.get(col[i]);
    }
    return out;
  }

  /** The network a configuration describes (shared with {@link CtrModel#load}). */
  static CtrNet network(CtrNet.Kind kind, Config cfg, int users, int items, int classes,
      List<FieldPlugin> plugins) {
    String fields = cfg.getString("plug_in_fields", "sum").toLowerCase(Locale.ROOT);
    if (!fields.equals("sum") && !fields.equals("separate")) {
      throw new IllegalArgumentException("plug_in_fields must be sum or separate, got '" + fields + "'");
    }
    return new CtrNet(kind, users, items, classes, cfg.getInt("embedding_size"),
        cfg.getIntArray("mlp_hidden_size", new int[] {128, 128, 128}),
        cfg.getIntArray("cin_layer_size", new int[] {120, 120, 120}), cfg.getDouble("dropout_prob"),
        cfg.getBoolean("normalize_fields", true), fields.equals("separate"),
        cfg.getBoolean("mlp_output_relu", false), plugins);
  }

  /** The plug-in modalities: config {@code plug_in} or every modality of the features. */
  private static List<String> pluginNames(Config cfg, ItemFeatures f) {
    List<String> names = new ArrayList<>();
    if (cfg.has("plug_in") && cfg.get("plug_in") != null) {
      for (Object o : cfg.getList("plug_in")) {
        names.add(String.valueOf(o));
      }
      if (!names.isEmpty() && f == null) {
        throw new IllegalArgumentException("plug_in " + names + " needs item features (--features)");
      }
    } else if (f != null) {
      names.addAll(new java.util.TreeSet<>(f.names()));
    }
    for (String n : names) {
      if (!f.has(n)) {
        throw new IllegalArgumentException("plug_in names '" + n + "', the item features have "
            + f.names());
      }
    }
    return names;
  }

  /**
   * Trains on {@code ctx.dataset()}, which must be labelled and have VALID rows ({@link #prepare}).
   * With {@code ctx.checkpointDir()} every epoch is checkpointed there; with {@code ctx.resume()} and a
   * checkpoint there, training continues after its last finished epoch.
   *
   * @throws IllegalArgumentException on unlabelled data, an empty VALID split, bad options, or a
   *     checkpoint made by another model, seed, dataset or network size
   */
  public CtrModel fitCtr(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    Dataset data = ctx.dataset();
    long seed = ctx.seed();
    Config used = cfg.with("seed", seed);
    if (!CtrSplits.labelled(data) || data.valid().size() == 0 || !data.valid().hasLabels()) {
      throw new IllegalArgumentException(name() + " needs labelled train and valid rows: "
          + data + " (CtrRecommender.prepare makes them)");
    }
    int batch = cfg.getInt("train_batch_size");
    int epochs = cfg.getInt("epochs");
    int patience = cfg.getInt("stopping_step");
    double wd = cfg.getDouble("weight_decay", 0.0);
    double regWeight = cfg.getDouble("reg_weight", 0.0);
    int emb = cfg.getInt("embedding_size");
    if (batch <= 0 || epochs < 0 || patience < 1 || emb <= 0) {
      throw new IllegalArgumentException("train_batch_size, embedding_size, stopping_step must be > 0, "
          + "epochs >= 0");
    }
    ItemFeatures feats = null;
    if (ctx.itemFeatures() instanceof ItemFeatures) {
      feats = ((ItemFeatures) ctx.itemFeatures()).validateRows(data);
    }
    List<FieldPlugin> plugins = new ArrayList<>();
    List<FloatMatrix> tables = new ArrayList<>();
    String mode = cfg.getString("feature_mode", "auto");
    for (String n : pluginNames(cfg, feats)) {
      FloatMatrix m = feats.get(n);
      plugins.add(new FieldPlugin(n, m.cols(), FieldPlugin.Mode.parse(mode, m.cols(), emb)));
      tables.add(m);
    }
    int[] classes = itemClasses(data, cfg.getString("class_field", "class"));
    int numClasses = classes == null ? 0 : Arrays.stream(classes).max().orElse(-1) + 1;
    int[] itemClass = classes == null ? new int[data.numItems()] : classes;
    CtrNet net = network(kind(), cfg, data.numUsers(), data.numItems(), numClasses, plugins);
    net.init(seed, tables);
    FlatParams fp = net.params();
    float[] params = fp.params();
    boolean[] decays = new boolean[fp.count()];
    for (int t = 0; t < decays.length; t++) {
      decays[t] = !net.frozen(t);
    }
    Adam adam = new Adam(params.length, cfg.getDouble("learning_rate"), cfg.getDouble("adam_beta1", 0.9),
        cfg.getDouble("adam_beta2", 0.999), 1e-8);
    Interactions tr = data.train();
    int n = tr.size();
    int[] tu = tr.usersArray();
    int[] ti = tr.itemsArray();
    float[] ty = new float[n];
    for (int r = 0; r < n; r++) {
      ty[r] = tr.label(r) > 0 ? 1f : 0f;
    }
    Interactions va = data.valid();
    float[] vy = new float[va.size()];
    for (int r = 0; r < vy.length; r++) {
      vy[r] = va.label(r) > 0 ? 1f : 0f;
    }
    Checkpoint.State st = FlatCheckpoint.start(ctx, name(), used, params, adam);
    List<Double> losses = st.loss;
    List<Double> valids = st.valid;
    List<Double> trainSecs = st.trainSeconds;
    List<Double> evalSecs = st.evalSeconds;
    float[] best = st.bestItem != null ? st.bestItem : params.clone();
    int bestEpoch = st.bestEpoch;
    double bestValid = bestEpoch == 0 ? Double.NEGATIVE_INFINITY : st.bestValid;
    int bad = st.curStep;
    boolean stopped = st.stoppedEarly;
    int epochsRun = st.epoch;
    Engine engine = Engine.getEngine("PyTorch");
    int[] order = new int[n];
    float[] grad = new float[params.length];
    int micro = microRows(cfg, net);
    NonFinite.Guard guard = new NonFinite.Guard(name(), cfg.getInt(NonFinite.MAX_SKIPS_KEY, 10),
        System.err::println);
    try (Parallel par = new Parallel(cfg.getInt("threads", 0));
        NDManager base = engine.newBaseManager()) {
      for (int epoch = st.epoch + 1; epoch <= epochs && !stopped; epoch++) {
        long t0 = System.nanoTime();
        // dropout draws from PyTorch's global generator, whose state cannot be saved: re-seeding it from
        // (seed, epoch) makes an epoch's masks independent of what ran before, so a resumed run is exact
        engine.setRandomSeed(FlatCheckpoint.dropoutSeed(seed, epoch));
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int k = 0; k < n; k++) {
          order[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
          int j = rng.nextInt(k + 1);
          int tmp = order[k];
          order[k] = order[j];
          order[j] = tmp;
        }
        double lossSum = 0;
        int batches = 0;
        int skippedInEpoch = 0;
        for (int off = 0; off < n; off += batch) {
          int b = Math.min(batch, n - off);
          int[] u = new int[b];
          int[] i = new int[b];
          int[] c = new int[b];
          float[] y = new float[b];
          for (int k = 0; k < b; k++) {
            int r = order[off + k];
            u[k] = tu[r];
            i[k] = ti[r];
            c[k] = itemClass[i[k]];
            y[k] = ty[r];
          }
          float loss = batchGradient(net, base, engine, u, i, c, y, micro, true, grad);
          if (regWeight != 0) {
            loss += (float) net.addRegGradient(params, grad, regWeight);
          }
          if (!guard.accept(epoch, batches + 1, loss, grad,
              () -> NonFinite.tensors(grad, fp.names(), fp::offset).toString())) {
            batches++; // keeps the batch numbers of later warnings true; the mean loss skips it below
            skippedInEpoch++;
            continue;
          }
          if (wd != 0) {
            for (int t = 0; t < decays.length; t++) {
              if (decays[t]) {
                int o = fp.offset(t);
                int len = fp.length(t);
                for (int k = o; k < o + len; k++) {
                  grad[k] += (float) wd * params[k];
                }
              }
            }
          }
          adam.update(params, grad, par);
          lossSum += loss;
          batches++;
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        float[] p = new float[vy.length];
        CtrModel.predict(net, itemClass, va.usersArray(), va.itemsArray(), p);
        double valid = CtrMetrics.auc(p, vy);
        double evalSec = (System.nanoTime() - t1) / 1e9;
        boolean improved = valid > bestValid || bestEpoch == 0;
        if (improved) {
          bestValid = valid;
          bestEpoch = epoch;
          System.arraycopy(params, 0, best, 0, params.length);
          bad = 0;
        } else {
          bad++;
          stopped = bad >= patience;
        }
        epochsRun = epoch;
        double meanLoss = lossSum / Math.max(1, batches - skippedInEpoch);
        losses.add(meanLoss);
        valids.add(valid);
        trainSecs.add(trainSec);
        evalSecs.add(evalSec);
        FlatCheckpoint.save(ctx.checkpointDir(), st, epoch, adam, best, bestEpoch, bestValid, bad, stopped);
        ctx.listener().onEpoch(new EpochReport(epoch, meanLoss, valid, trainSec, evalSec, bestEpoch,
            improved));
      }
    }
    System.arraycopy(best, 0, params, 0, params.length);
    TrainingHistory h = new TrainingHistory(epochsRun, bestEpoch, bestEpoch == 0 ? Double.NaN : bestValid,
        CtrMetrics.AUC, losses, valids, trainSecs, evalSecs, stopped);
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("dataset", data.name());
    prov.put("data_hash", data.contentHash());
    prov.put("seed", Long.toString(seed));
    prov.put("java", System.getProperty("java.version"));
    prov.put("nonfinite_steps_skipped", Integer.toString(guard.skipped()));
    return new CtrModel(name(), net, itemClass, used, h, prov);
  }

  /**
   * The mean BCE loss of one batch, with its gradient written to {@code grad} (flat layout), computed in
   * passes of at most {@code micro} rows whose gradients are accumulated: the same step as one pass (up to
   * float rounding), without tensors so large that every allocation page-faults.
   */
  public static float batchGradient(CtrNet net, NDManager base, Engine engine, int[] u, int[] i, int[] c,
      float[] y, int micro, boolean train, float[] grad) {
    FlatParams fp = net.params();
    int b = u.length;
    float loss = 0;
    Arrays.fill(grad, 0f);
    for (int m0 = 0; m0 < b; m0 += micro) {
      int mb = Math.min(micro, b - m0);
      CtrBatch cb = net.batch(slice(u, m0, mb), slice(i, m0, mb), slice(c, m0, mb));
      try (NDManager m = base.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
        NDArray[] w = fp.leaves(m, true, cb.rowsOf());
        NDArray l = bceWithLogits(net.logits(m, w, cb, train), m.create(slice(y, m0, mb)));
        if (mb != b) {
          l = NdScalars.mul(l, (float) mb / b);
        }
        gc.backward(l);
        loss += l.getFloat();
        fp.addGradients(w, cb.rowsOf(), grad);
      }
    }
    return loss;
  }

  /**
   * Rows per forward/backward pass: config {@code micro_batch_rows}, or (0, the default)
   * {@link CtrNet#microRows()}.
   */
  static int microRows(Config cfg, CtrNet net) {
    int r = cfg.getInt("micro_batch_rows", 0);
    if (r < 0) {
      throw new IllegalArgumentException("micro_batch_rows must be >= 0 (0 = automatic), got " + r);
    }
    return r == 0 ? net.microRows() : r;
  }

  private static int[] slice(int[] a, int from, int n) {
    return from == 0 && n == a.length ? a : Arrays.copyOfRange(a, from, from + n);
  }

  private static float[] slice(float[] a, int from, int n) {
    return from == 0 && n == a.length ? a : Arrays.copyOfRange(a, from, from + n);
  }

  /** Mean of {@code softplus(z) - y z} (torch BCEWithLogitsLoss), computed stably. */
  static NDArray bceWithLogits(NDArray z, NDArray y) {
    NDArray softplus = Activation.relu(z).add(z.abs().neg().exp().add(1f).log());
    return softplus.sub(z.mul(y)).mean();
  }
}
