package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.EpochReport;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.Validator;
import io.cliprec.models.train.Adam;
import io.cliprec.models.train.EmbeddingTrainer;
import io.cliprec.models.train.FactorModel;
import io.cliprec.models.train.PairSampler;
import io.cliprec.models.train.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MMRec's {@code Trainer.fit} for an {@link MmModel}: per epoch {@code preEpoch}, then shuffled batches of
 * {@code train_batch_size} (user, pos, uniform neg) triples from {@link PairSampler}; per batch gradients
 * are zeroed, {@link MmModel#batch} fills them and one torch-semantics {@link Adam} per {@link Param}
 * steps. The learning rate follows MMRec's {@code learning_rate_scheduler [f, s]}:
 * {@code lr · f^(epoch/s)} for 0-based epoch. After every {@code eval_step} epochs the validator scores
 * {@link MmModel#factors()}; the best factors are kept (strictly greater), and training stops once more
 * than {@code stopping_step} consecutive evaluations did not improve (MMRec's {@code early_stopping}).
 * A NaN loss stops training (MMRec exits). With a checkpoint directory every epoch is saved
 * ({@link MmCheckpoint}) and {@code resume} continues from the last one with identical results.
 *
 * <p>Deterministic for a seed: init comes from the model factory, each epoch's sampling from a
 * {@link SplittableRandom} derived from (seed, epoch).
 */
public final class MmTrainer {
  /** Creates the model for one fit. */
  @FunctionalInterface
  public interface ModelFactory {
    MmModel create(Dataset data, Config config, Parallel par, SplittableRandom initRng);
  }

  private final String modelName;
  private final ModelFactory factory;
  private final Map<String, String> extraProvenance;

  /**
   * @param extraProvenance entries added to the model's provenance (e.g. the modalities and the
   *     features' own provenance), next to dataset, data hash, seed and Java version
   */
  public MmTrainer(String modelName, ModelFactory factory, Map<String, String> extraProvenance) {
    this.modelName = modelName;
    this.factory = factory;
    this.extraProvenance = new LinkedHashMap<>(extraProvenance);
  }

  /** Provenance entries describing the features a model was trained on. */
  public static Map<String, String> featureProvenance(ItemFeatures f) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("modalities", String.join(",", f.names()));
    StringBuilder dims = new StringBuilder();
    for (String n : f.names()) {
      dims.append(dims.length() == 0 ? "" : ",").append(n).append('=').append(f.get(n).cols());
    }
    m.put("feature_dims", dims.toString());
    m.put("feature_provenance", String.valueOf(f.provenance()));
    return m;
  }

  /** Trains with {@code ctx.config()} (defaults already merged). */
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = ctx.config();
    Dataset data = ctx.dataset();
    double lr = cfg.getDouble("learning_rate");
    int batch = cfg.getInt("train_batch_size");
    int epochs = cfg.getInt("epochs");
    int stoppingStep = cfg.getInt("stopping_step");
    int evalStep = cfg.getInt("eval_step", 1);
    String metric = cfg.getString("valid_metric", "Recall@20");
    double[] sched = {1.0, 50.0};
    if (cfg.has("learning_rate_scheduler") && cfg.get("learning_rate_scheduler") != null) {
      List<Object> l = cfg.getList("learning_rate_scheduler");
      if (l.size() != 2) {
        throw new IllegalArgumentException("learning_rate_scheduler must be [factor, step], got " + l);
      }
      sched = new double[] {((Number) l.get(0)).doubleValue(), ((Number) l.get(1)).doubleValue()};
    }
    if (batch <= 0 || epochs < 0 || evalStep <= 0) {
      throw new IllegalArgumentException("train_batch_size, eval_step must be > 0, epochs >= 0");
    }
    Validator validator = ctx.validator() != null ? ctx.validator()
        : EmbeddingTrainer.defaultValidator(metric);
    long seed = ctx.seed();
    Config used = cfg.with("seed", seed);
    try (Parallel par = new Parallel(cfg.getInt("threads", 0))) {
      MmModel model = factory.create(data, cfg, par, epochRandom(seed, 0));
      List<Param> params = model.params();
      List<Adam> adams = new ArrayList<>();
      for (Param p : params) {
        adams.add(Adam.torchDefaults(p.value.length, lr));
      }
      PairSampler sampler = new PairSampler(data);
      MmCheckpoint.State st;
      Path ckpt = ctx.checkpointDir();
      if (ctx.resume() && MmCheckpoint.exists(ckpt)) {
        st = MmCheckpoint.load(ckpt, modelName, seed, data.contentHash(), params, adams);
      } else {
        st = new MmCheckpoint.State();
        st.model = modelName;
        st.seed = seed;
        st.dataHash = data.contentHash();
        st.config = used.asMap();
      }
      for (int epoch = st.epoch + 1; epoch <= epochs && !st.stopped; epoch++) {
        long t0 = System.nanoTime();
        double curLr = lr * Math.pow(sched[0], (epoch - 1) / sched[1]);
        for (Adam a : adams) {
          a.setLearningRate(curLr);
        }
        SplittableRandom rng = epochRandom(seed, epoch);
        model.preEpoch(epoch - 1, rng.split());
        PairSampler.Epoch e = sampler.epoch(rng);
        double lossSum = 0;
        int batches = 0;
        boolean nan = false;
        for (int off = 0; off < sampler.size(); off += batch) {
          int bs = Math.min(batch, sampler.size() - off);
          int[] u = Arrays.copyOfRange(e.users(), off, off + bs);
          int[] p = Arrays.copyOfRange(e.pos(), off, off + bs);
          int[] q = Arrays.copyOfRange(e.neg(), off, off + bs);
          for (Param pr : params) {
            Arrays.fill(pr.grad, 0f);
          }
          double loss = model.batch(u, p, q);
          if (Double.isNaN(loss)) {
            nan = true;
            break;
          }
          lossSum += loss;
          batches++;
          for (int k = 0; k < params.size(); k++) {
            adams.get(k).update(params.get(k).value, params.get(k).grad, par);
          }
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        if (nan) {
          // MMRec: "Loss is nan ... Exiting." -- stop without recording the epoch
          st.stopped = true;
          break;
        }
        double valid = Double.NaN;
        double evalSec = 0;
        boolean improved = false;
        if (epoch % evalStep == 0) {
          long t1 = System.nanoTime();
          FloatMatrix[] f = model.factors();
          valid = validator.validate(data, new FactorModel("candidate", used, null, f[0], f[1]));
          evalSec = (System.nanoTime() - t1) / 1e9;
          if (valid > st.bestValid) {
            st.bestValid = valid;
            st.bestEpoch = epoch;
            st.curStep = 0;
            st.best = f;
            improved = true;
          } else {
            st.curStep++;
            st.stopped = st.curStep > stoppingStep;
          }
        }
        st.epoch = epoch;
        double meanLoss = lossSum / Math.max(1, batches);
        st.loss.add(meanLoss);
        st.valid.add(valid);
        st.trainSeconds.add(trainSec);
        st.evalSeconds.add(evalSec);
        if (ckpt != null) {
          MmCheckpoint.save(ckpt, st, params, adams);
        }
        ctx.listener().onEpoch(new EpochReport(epoch, meanLoss, valid, trainSec, evalSec, st.bestEpoch,
            improved));
      }
      FloatMatrix[] best = st.best != null ? st.best : model.factors();
      TrainingHistory h = new TrainingHistory(st.epoch, st.bestEpoch, st.bestValid, metric, st.loss,
          st.valid, st.trainSeconds, st.evalSeconds, st.stopped);
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("dataset", data.name());
      prov.put("data_hash", data.contentHash());
      prov.put("seed", Long.toString(seed));
      prov.put("java", System.getProperty("java.version"));
      prov.putAll(extraProvenance);
      return new FactorModel(modelName, used, h, best[0], best[1], prov);
    } catch (IOException ex) {
      throw new UncheckedIOException("checkpoint I/O failed in " + ctx.checkpointDir() + ": "
          + ex.getMessage(), ex);
    }
  }

  /** The RNG of epoch {@code epoch} (1-based); model init uses epoch 0. */
  static SplittableRandom epochRandom(long seed, int epoch) {
    return new SplittableRandom(mix64(seed * 0x2545F4914F6CDD1DL + mix64(epoch + 0x9E3779B97F4A7C15L)));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
