package io.cliprec.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
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
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * MMRec's {@code Trainer.fit} for models whose parameters are one ego-embedding table
 * {@code E0 [numUsers + numItems, d]} (users first) mapped to final embeddings by a {@link LinearOp}
 * ({@code F = op(E0)}; identity for BPR-MF, layer-mean propagation for LightGCN).
 *
 * <p>Per batch of {@code train_batch_size} (user, pos, neg) triples (see {@link PairSampler}):
 * <ol>
 *   <li>{@code F = op.forward(E0)} in Java (recomputed every batch, as MMRec does);
 *   <li>the loss is MMRec's {@code BPRLoss + reg_weight · EmbLoss}:
 *       {@code -mean(log(1e-10 + σ(f_u·f_p - f_u·f_n))) + reg_weight · (‖e_u‖ + ‖e_p‖ + ‖e_n‖) / B}
 *       with Frobenius norms (not squared) of the batch's ego rows. With {@code loss_backend: djl} the batch
 *       rows of F and E0 become DJL/PyTorch leaf arrays and autograd inside a {@link GradientCollector}
 *       gives the leaf gradients; with {@code loss_backend: java} (default, ~10× cheaper per batch) the
 *       same gradients come from their closed form; a test checks both agree and match finite differences;
 *   <li>leaf gradients are scattered into dense {@code ∂L/∂F} and {@code ∂L/∂E0} (Java, sequential);
 *       {@code ∂L/∂E0 += op.backward(∂L/∂F)};
 *   <li>{@link Adam} (torch semantics, dense) updates E0.
 * </ol>
 * After every {@code eval_step} epochs the {@link Validator} scores the current final embeddings; the best
 * are kept (strictly greater, MMRec's {@code early_stopping}); training stops once the count of
 * consecutive non-improving evaluations exceeds {@code stopping_step} (so 21 with the default 20). The returned model holds the best-validation final embeddings.
 *
 * <p>Determinism: init and each epoch's shuffling/negatives come from {@link SplittableRandom}s derived
 * from (seed, epoch); all Java kernels write each output element from one thread in a fixed order; the
 * PyTorch ops used are deterministic on CPU. So one seed gives identical weights, also across a
 * checkpoint/resume.
 */
public final class EmbeddingTrainer {
  /** Builds the propagation op over {@code numUsers + numItems} rows for one fit. */
  @FunctionalInterface
  public interface OpFactory {
    LinearOp create(Dataset data, Config config, Parallel par);
  }

  private final String modelName;
  private final OpFactory opFactory;

  public EmbeddingTrainer(String modelName, OpFactory opFactory) {
    this.modelName = Objects.requireNonNull(modelName);
    this.opFactory = Objects.requireNonNull(opFactory);
  }

  /** Full-ranking {@link Evaluator} on VALID, train items masked, metric {@code valid_metric}. */
  public static Validator defaultValidator(String metric) {
    int at = metric.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("valid_metric must look like Recall@20, got " + metric);
    }
    int k = Integer.parseInt(metric.substring(at + 1));
    EvalOptions opts = EvalOptions.defaults().withKs(k).withMask(MaskPolicy.TRAIN);
    return (data, scorer) -> Evaluator.evaluate(data, Split.VALID, scorer, opts).get(metric);
  }

  /**
   * The item features when {@code plugin} or {@code plugin_id} asks for them (row-checked), else null.
   */
  private static ItemFeatures pluginFeatures(TrainContext ctx, Config cfg, Dataset data) {
    if (ItemPlugin.names(cfg).isEmpty() && !cfg.getBoolean("plugin_id", false)) {
      return null;
    }
    if (!(ctx.itemFeatures() instanceof ItemFeatures)) {
      throw new IllegalArgumentException("plugin / plugin_id need item features (--features DIR)");
    }
    ItemFeatures f = ((ItemFeatures) ctx.itemFeatures()).validateRows(data);
    if (cfg.getBoolean("plugin_id", false) && !f.has("id")) {
      throw new IllegalArgumentException("plugin_id: item features have no 'id' (have " + f.names() + ")");
    }
    return f;
  }

  /** Trains with {@code ctx.config()} (must already contain all keys of the model's defaults). */
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = ctx.config();
    Dataset data = ctx.dataset();
    int nu = data.numUsers();
    int ni = data.numItems();
    int n = nu + ni;
    int d = cfg.getInt("embedding_size");
    double reg = cfg.getDouble("reg_weight");
    double lr = cfg.getDouble("learning_rate");
    int batch = cfg.getInt("train_batch_size");
    int epochs = cfg.getInt("epochs");
    int stoppingStep = cfg.getInt("stopping_step");
    int evalStep = cfg.getInt("eval_step", 1);
    String metric = cfg.getString("valid_metric", "Recall@20");
    String init = cfg.getString("init", "xavier_uniform");
    int threads = cfg.getInt("threads", 0);
    if (d <= 0 || batch <= 0 || epochs < 0 || evalStep <= 0) {
      throw new IllegalArgumentException("embedding_size, train_batch_size, eval_step must be > 0");
    }
    Validator validator = ctx.validator() != null ? ctx.validator() : defaultValidator(metric);
    long seed = ctx.seed();
    Config used = cfg.with("seed", seed);

    String backend = cfg.getString("loss_backend", "java");
    if (!backend.equals("java") && !backend.equals("djl")) {
      throw new IllegalArgumentException("loss_backend must be java or djl, got " + backend);
    }
    boolean djl = backend.equals("djl");
    // the PyTorch engine is only started when it is used (null resources are skipped on close)
    try (Parallel par = new Parallel(threads);
        NDManager base = djl ? Engine.getEngine("PyTorch").newBaseManager() : null) {
      LinearOp op = opFactory.create(data, cfg, par);
      if (op.rows() != n) {
        throw new IllegalStateException("op rows " + op.rows() + " != users+items " + n);
      }
      ItemFeatures feats = pluginFeatures(ctx, cfg, data);
      ItemPlugin plugin = ItemPlugin.create(cfg, feats, ni, d, seed);
      Adam pluginAdam = plugin == null || plugin.isConstant() ? null
          : Adam.torchDefaults(plugin.params().length, lr);
      Checkpoint.State st;
      Adam adam = Adam.torchDefaults(n * d, lr);
      if (ctx.resume() && Checkpoint.exists(ctx.checkpointDir())) {
        st = Checkpoint.load(ctx.checkpointDir());
        checkCompatible(st, data, seed, used, d);
        adam.restore(st.adamM, st.adamV, st.adamStep);
        st.adamM = adam.firstMoment();
        st.adamV = adam.secondMoment();
        int saved = st.plugin == null ? 0 : st.plugin.length;
        if (saved != (pluginAdam == null ? 0 : plugin.params().length)) {
          throw new IllegalArgumentException("checkpoint was made with another plugin configuration");
        }
        if (pluginAdam != null) {
          System.arraycopy(st.plugin, 0, plugin.params(), 0, saved);
          pluginAdam.restore(st.pluginAdamM, st.pluginAdamV, st.adamStep);
        }
      } else {
        st = new Checkpoint.State();
        st.model = modelName;
        st.seed = seed;
        st.dataHash = data.contentHash();
        st.config = used.asMap();
        st.dim = d;
        st.numUsers = nu;
        st.numItems = ni;
        st.ego = initEmbeddings(nu, ni, d, init, seed);
        if (cfg.getBoolean("plugin_id", false)) {
          // CPMM CF/lightgcn.py item_path: the ID table starts from the pre-trained 'id' view (trained)
          FloatMatrix id = feats.get("id");
          if (id.cols() != d) {
            throw new IllegalArgumentException("plugin_id: feature 'id' is " + id.cols() + "-d, the"
                + " embedding " + d + "-d (set embedding_size)");
          }
          System.arraycopy(id.data(), 0, st.ego, nu * d, ni * d);
        }
        st.adamM = adam.firstMoment();
        st.adamV = adam.secondMoment();
      }
      if (pluginAdam != null) {
        st.plugin = plugin.params();
        st.pluginAdamM = pluginAdam.firstMoment();
        st.pluginAdamV = pluginAdam.secondMoment();
      }
      float[] ego = st.ego;
      PairSampler sampler = new PairSampler(data);
      boolean identity = op.isIdentity() && plugin == null;
      // ego + plug-in rows (what propagation sees); the ego array itself when there is no plug-in
      float[] eff = plugin == null ? ego : new float[n * d];
      float[] fin = identity ? ego : new float[n * d];
      float[] gFin = new float[n * d];
      float[] gEgo = identity ? gFin : new float[n * d];
      float[] gPlugin = plugin == null ? null : new float[plugin.params().length];
      BatchStep step = new BatchStep(base, d, (float) reg, identity, djl);
      step.plugin(plugin, gPlugin);

      boolean stop = st.stoppedEarly || st.curStep > stoppingStep;
      for (int epoch = st.epoch + 1; epoch <= epochs && !stop; epoch++) {
        long t0 = System.nanoTime();
        PairSampler.Epoch e = sampler.epoch(epochRandom(seed, epoch));
        double lossSum = 0;
        int batches = 0;
        boolean nan = false;
        for (int off = 0; off < sampler.size(); off += batch) {
          int bs = Math.min(batch, sampler.size() - off);
          if (plugin != null) {
            plugin.addTo(ego, eff, nu * d, par);
          }
          if (!identity) {
            op.forward(eff, fin, d, par);
          }
          float loss = step.run(e, off, bs, nu, ego, fin, gFin, gEgo, op, par);
          if (Float.isNaN(loss)) {
            nan = true;
            break;
          }
          lossSum += loss;
          batches++;
          adam.update(ego, gEgo, par);
          if (pluginAdam != null) {
            pluginAdam.update(plugin.params(), gPlugin, par);
          }
          if (identity) {
            step.clearRows(gEgo);
          }
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        if (nan) {
          // MMRec: "Loss is nan ... Exiting." -- stop without recording the epoch
          st.stoppedEarly = true;
          break;
        }
        double valid = Double.NaN;
        double evalSec = 0;
        boolean improved = false;
        if (epoch % evalStep == 0) {
          long t1 = System.nanoTime();
          FactorModel cur = snapshot(op, plugin, ego, eff, fin, nu, ni, d, par, used);
          valid = validator.validate(data, cur);
          evalSec = (System.nanoTime() - t1) / 1e9;
          if (valid > st.bestValid) {
            st.bestValid = valid;
            st.bestEpoch = epoch;
            st.curStep = 0;
            st.bestUser = cur.userFactors(Split.TEST).data();
            st.bestItem = cur.itemFactors().data();
            improved = true;
          } else {
            st.curStep++;
            stop = st.curStep > stoppingStep;
          }
        }
        st.epoch = epoch;
        st.adamStep = adam.step();
        st.stoppedEarly = stop;
        st.loss.add(lossSum / Math.max(1, batches));
        st.valid.add(valid);
        st.trainSeconds.add(trainSec);
        st.evalSeconds.add(evalSec);
        if (ctx.checkpointDir() != null) {
          Checkpoint.save(ctx.checkpointDir(), st);
        }
        ctx.listener().onEpoch(new EpochReport(epoch, lossSum / Math.max(1, batches), valid, trainSec,
            evalSec, st.bestEpoch, improved));
      }
      TrainingHistory h = new TrainingHistory(st.epoch, st.bestEpoch, st.bestValid, metric, st.loss,
          st.valid, st.trainSeconds, st.evalSeconds, st.stoppedEarly);
      java.util.Map<String, String> prov = new java.util.LinkedHashMap<>();
      prov.put("dataset", data.name());
      prov.put("data_hash", data.contentHash());
      prov.put("seed", Long.toString(seed));
      prov.put("java", System.getProperty("java.version"));
      if (st.bestUser == null) {
        FactorModel cur = snapshot(op, plugin, ego, eff, fin, nu, ni, d, par, used);
        return new FactorModel(modelName, used, h, cur.userFactors(Split.TEST), cur.itemFactors(), prov);
      }
      return new FactorModel(modelName, used, h, new FloatMatrix(nu, d, st.bestUser),
          new FloatMatrix(ni, d, st.bestItem), prov);
    } catch (IOException ex) {
      throw new UncheckedIOException("checkpoint I/O failed in " + ctx.checkpointDir() + ": "
          + ex.getMessage(), ex);
    }
  }

  private void checkCompatible(Checkpoint.State st, Dataset data, long seed, Config used, int d) {
    if (!modelName.equals(st.model)) {
      throw new IllegalArgumentException("checkpoint is for model '" + st.model + "', not " + modelName);
    }
    if (st.seed != seed || !data.contentHash().equals(st.dataHash) || st.dim != d
        || st.numUsers != data.numUsers() || st.numItems != data.numItems()) {
      throw new IllegalArgumentException("checkpoint was made with another seed/dataset/embedding size"
          + " (seed " + st.seed + ", data " + st.dataHash + ", d " + st.dim + ")");
    }
  }

  /** Final factors of the current weights (copies); {@code eff} is scratch for ego + plug-in rows. */
  private static FactorModel snapshot(LinearOp op, ItemPlugin plugin, float[] ego, float[] eff,
      float[] fin, int nu, int ni, int d, Parallel par, Config used) {
    float[] src = ego;
    if (plugin != null) {
      plugin.addTo(ego, eff, nu * d, par);
      src = eff;
    }
    float[] f = src;
    if (!op.isIdentity()) {
      op.forward(src, fin, d, par);
      f = fin;
    }
    float[] u = Arrays.copyOfRange(f, 0, nu * d);
    float[] i = Arrays.copyOfRange(f, nu * d, (nu + ni) * d);
    return new FactorModel("candidate", used, null, new FloatMatrix(nu, d, u),
        new FloatMatrix(ni, d, i));
  }

  /** The RNG of epoch {@code epoch} (1-based); init uses epoch 0. */
  static SplittableRandom epochRandom(long seed, int epoch) {
    return new SplittableRandom(mix64(seed + mix64(0x9E3779B97F4A7C15L * (epoch + 1L))));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Xavier init per table as {@code torch.nn.init} does for a {@code [rows, d]} weight (fan_in = d,
   * fan_out = rows): normal std {@code sqrt(2/(rows+d))} or uniform bound {@code sqrt(6/(rows+d))}.
   */
  static float[] initEmbeddings(int nu, int ni, int d, String init, long seed) {
    SplittableRandom rng = epochRandom(seed, 0);
    float[] e = new float[(nu + ni) * d];
    fill(e, 0, nu, d, init, rng);
    fill(e, nu * d, ni, d, init, rng);
    return e;
  }

  private static void fill(float[] e, int off, int rows, int d, String init, SplittableRandom rng) {
    int len = rows * d;
    switch (init) {
      case "xavier_normal": {
        double std = Math.sqrt(2.0 / (rows + d));
        for (int k = 0; k < len; k++) {
          e[off + k] = (float) (rng.nextGaussian() * std);
        }
        break;
      }
      case "xavier_uniform": {
        double a = Math.sqrt(6.0 / (rows + d));
        for (int k = 0; k < len; k++) {
          e[off + k] = (float) ((rng.nextDouble() * 2 - 1) * a);
        }
        break;
      }
      default:
        throw new IllegalArgumentException("init must be xavier_normal or xavier_uniform, got " + init);
    }
  }

  /** One batch's loss and gradients through DJL autograd. */
  static final class BatchStep {
    private final NDManager base;
    private final int d;
    private final float reg;
    private final boolean identity;
    private final boolean useDjl;
    private int[][] lastRows;
    private ItemPlugin plugin;
    private float[] pluginGrad;

    BatchStep(NDManager base, int d, float reg, boolean identity, boolean useDjl) {
      this.base = base;
      this.d = d;
      this.reg = reg;
      this.identity = identity;
      this.useDjl = useDjl;
    }

    /** Routes ∂L/∂(ego + plug-in) item rows into {@code grad} after each backward (null: no plug-in). */
    void plugin(ItemPlugin p, float[] grad) {
      this.plugin = p;
      this.pluginGrad = grad;
    }

    /**
     * Loss of triples {@code off..off+bs} of {@code e}; fills {@code gEgo} with the full gradient w.r.t. the
     * ego embeddings ({@code gFin} is scratch for ∂L/∂F and must be all zero on entry; both
     * {@code [users+items, d]}). With a non-identity op {@code gFin} is zero again on return; with the
     * identity ({@code gFin == gEgo}) call {@link #clearRows} after using the gradient.
     */
    float run(PairSampler.Epoch e, int off, int bs, int nu, float[] ego, float[] fin, float[] gFin,
        float[] gEgo, LinearOp op, Parallel par) {
      int[] us = e.users();
      int[] ps = e.pos();
      int[] qs = e.neg();
      int[] ru = new int[bs];
      int[] rp = new int[bs];
      int[] rq = new int[bs];
      for (int b = 0; b < bs; b++) {
        ru[b] = us[off + b];
        rp[b] = nu + ps[off + b];
        rq[b] = nu + qs[off + b];
      }
      float[][] grads = useDjl ? lossAndGrads(fin, identity ? null : ego, ru, rp, rq)
          : lossAndGradsJava(fin, identity ? null : ego, ru, rp, rq);
      float loss = grads[6][0];
      // gFin is all zero on entry (invariant kept by clearRows), so only the batch rows are touched
      scatter(gFin, grads[0], ru);
      scatter(gFin, grads[1], rp);
      scatter(gFin, grads[2], rq);
      lastRows = new int[][] {ru, rp, rq};
      if (!identity) {
        op.backward(gFin, gEgo, d, par);
        clearRows(gFin);
        if (plugin != null && pluginGrad.length > 0) {
          // the plug-in rows enter the propagation input only: EmbLoss (below) is on the ID rows alone
          plugin.backward(gEgo, nu * d, pluginGrad, par);
        }
        scatter(gEgo, grads[3], ru);
        scatter(gEgo, grads[4], rp);
        scatter(gEgo, grads[5], rq);
      }
      return loss;
    }

    /**
     * Zeroes the rows of {@code g} the last {@link #run} scattered into (call after the optimizer used the
     * gradient when the op is the identity, where {@code gFin == gEgo}).
     */
    void clearRows(float[] g) {
      if (lastRows == null) {
        return;
      }
      for (int[] rows : lastRows) {
        for (int r : rows) {
          Arrays.fill(g, r * d, r * d + d, 0f);
        }
      }
    }

    /**
     * Returns {gF_u, gF_p, gF_n, gE_u, gE_p, gE_n, {loss}}, each {@code [B, d]}; with {@code ego == null}
     * the final and ego rows are the same leaves and the first three hold the whole gradient.
     */
    float[][] lossAndGrads(float[] fin, float[] ego, int[] ru, int[] rp, int[] rq) {
      int bs = ru.length;
      Shape shape = new Shape(bs, d);
      try (NDManager m = base.newSubManager();
          GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray fu = leaf(m, gather(fin, ru), shape);
        NDArray fp = leaf(m, gather(fin, rp), shape);
        NDArray fn = leaf(m, gather(fin, rq), shape);
        NDArray eu = ego == null ? fu : leaf(m, gather(ego, ru), shape);
        NDArray ep = ego == null ? fp : leaf(m, gather(ego, rp), shape);
        NDArray en = ego == null ? fn : leaf(m, gather(ego, rq), shape);
        NDArray pos = fu.mul(fp).sum(new int[] {1});
        NDArray neg = fu.mul(fn).sum(new int[] {1});
        NDArray mf = Activation.sigmoid(pos.sub(neg)).add(1e-10f).log().mean().neg();
        NDArray embLoss = NdScalars.div(eu.square().sum().sqrt().add(ep.square().sum().sqrt())
            .add(en.square().sum().sqrt()), (float) bs);
        NDArray loss = mf.add(NdScalars.mul(embLoss, reg));
        gc.backward(loss);
        float[][] out = new float[7][];
        out[0] = fu.getGradient().toFloatArray();
        out[1] = fp.getGradient().toFloatArray();
        out[2] = fn.getGradient().toFloatArray();
        if (ego != null) {
          out[3] = eu.getGradient().toFloatArray();
          out[4] = ep.getGradient().toFloatArray();
          out[5] = en.getGradient().toFloatArray();
        }
        out[6] = new float[] {loss.getFloat()};
        return out;
      }
    }

    /**
     * The same loss and gradients as {@link #lossAndGrads} in closed form (Java, double accumulation):
     * {@code x_b = f_u·f_p - f_u·f_n}, {@code ∂/∂x_b = -σ(x)(1-σ(x)) / ((1e-10 + σ(x)) B)},
     * {@code ∂f_u = c_b (f_p - f_n)}, {@code ∂f_p = c_b f_u}, {@code ∂f_n = -c_b f_u};
     * EmbLoss: {@code ∂e = reg · e / (‖E‖ B)} per matrix E of the batch's ego rows.
     */
    float[][] lossAndGradsJava(float[] fin, float[] ego, int[] ru, int[] rp, int[] rq) {
      int bs = ru.length;
      float[] fu = gather(fin, ru);
      float[] fp = gather(fin, rp);
      float[] fn = gather(fin, rq);
      float[] gu = new float[bs * d];
      float[] gp = new float[bs * d];
      float[] gn = new float[bs * d];
      double mf = 0;
      for (int b = 0; b < bs; b++) {
        int o = b * d;
        double x = 0;
        for (int c = 0; c < d; c++) {
          x += (double) fu[o + c] * fp[o + c] - (double) fu[o + c] * fn[o + c];
        }
        double sig = 1.0 / (1.0 + Math.exp(-x));
        mf -= Math.log(1e-10 + sig);
        float coef = (float) (-sig * (1 - sig) / ((1e-10 + sig) * bs));
        for (int c = 0; c < d; c++) {
          gu[o + c] = coef * (fp[o + c] - fn[o + c]);
          gp[o + c] = coef * fu[o + c];
          gn[o + c] = -coef * fu[o + c];
        }
      }
      float[][] out = new float[7][];
      out[0] = gu;
      out[1] = gp;
      out[2] = gn;
      float[] eu = ego == null ? fu : gather(ego, ru);
      float[] ep = ego == null ? fp : gather(ego, rp);
      float[] en = ego == null ? fn : gather(ego, rq);
      float[] geu = ego == null ? gu : new float[bs * d];
      float[] gep = ego == null ? gp : new float[bs * d];
      float[] gen = ego == null ? gn : new float[bs * d];
      double emb = normGrad(eu, geu, bs) + normGrad(ep, gep, bs) + normGrad(en, gen, bs);
      if (ego != null) {
        out[3] = geu;
        out[4] = gep;
        out[5] = gen;
      }
      out[6] = new float[] {(float) (mf / bs + reg * emb / bs)};
      return out;
    }

    /** Adds {@code reg · e / (‖e‖ B)} to {@code g}; returns ‖e‖ (Frobenius). */
    private double normGrad(float[] e, float[] g, int bs) {
      double sq = 0;
      for (float v : e) {
        sq += (double) v * v;
      }
      double norm = Math.sqrt(sq);
      if (norm > 0) {
        float k = (float) (reg / (norm * bs));
        for (int i = 0; i < e.length; i++) {
          g[i] += k * e[i];
        }
      }
      return norm;
    }

    private static NDArray leaf(NDManager m, float[] data, Shape shape) {
      NDArray a = m.create(data, shape);
      a.setRequiresGradient(true);
      return a;
    }

    private float[] gather(float[] src, int[] rows) {
      float[] out = new float[rows.length * d];
      for (int b = 0; b < rows.length; b++) {
        System.arraycopy(src, rows[b] * d, out, b * d, d);
      }
      return out;
    }

    private void scatter(float[] dst, float[] g, int[] rows) {
      for (int b = 0; b < rows.length; b++) {
        int o = rows[b] * d;
        int go = b * d;
        for (int c = 0; c < d; c++) {
          dst[o + c] += g[go + c];
        }
      }
    }
  }
}
