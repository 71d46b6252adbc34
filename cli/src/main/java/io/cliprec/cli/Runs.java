package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.ColdStart;
import io.cliprec.core.eval.CtrMetrics;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.models.EpochReport;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.ctr.CtrModel;
import io.cliprec.models.ctr.CtrRecommender;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one model into a run directory: {@code run.json}, {@code model/} (weights), {@code bundle/} (the
 * self-contained bundle {@code cliprec serve} loads), {@code checkpoint/} (per-epoch state for
 * {@code --resume}) and {@code train.log}. Shared by {@code train}, {@code experiment} and
 * {@code quickstart}. Ranking models are evaluated by full ranking (metrics {@code Recall@K}, ...);
 * click-through-rate models ({@link CtrRecommender}) on the labelled rows of
 * {@link CtrRecommender#prepare}'s dataset with {@code AUC} and {@code LogLoss} (no bundle: they do not
 * rank).
 */
final class Runs {
  static final String MODEL_DIR = "model";
  static final String CHECKPOINT_DIR = "checkpoint";
  static final String LOG = "train.log";
  static final String BUNDLE_DIR = "bundle";

  private Runs() {}

  /** Where the data came from, so that evaluate/recommend can load it again. */
  record DataRef(String path, String format, String split, Protocol protocol, List<String> options) {}

  /** The evaluation settings a protocol implies. */
  static EvalOptions evalOptions(Protocol p) {
    EvalOptions o = EvalOptions.defaults();
    return p == Protocol.LEAVE_ONE_OUT ? o.withMask(MaskPolicy.HISTORY) : o.withMask(MaskPolicy.TRAIN);
  }

  /**
   * Trains {@code modelName} on {@code ds} and writes the run directory {@code out}.
   *
   * @param overrides user configuration (config file merged with --set), applied over the model defaults
   * @param quiet when true, per-epoch progress goes only to the log file
   */
  static RunRecord train(String modelName, Dataset ds, DataRef ref, ItemFeatures features,
      Path featuresDir, Config overrides, long seed, Path out, boolean resume, PrintStream err,
      boolean quiet) throws IOException {
    long t0 = System.nanoTime();
    Recommender rec = ModelRegistry.get(modelName);
    Config config = rec.defaults().merge(overrides);
    Files.createDirectories(out);
    Path log = out.resolve(LOG);
    try (PrintStream logOut = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
        resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), true,
        StandardCharsets.UTF_8)) {
      boolean ctr = rec instanceof CtrRecommender;
      // CTR models train and are evaluated on labelled rows: CtrSplits makes them when the data has none
      Dataset data = ctr ? CtrRecommender.prepare(ds, config) : ds;
      String head = String.format(Locale.ROOT, "training %s on %s (seed %d)%s", rec.name(), data, seed,
          resume ? " [resume]" : "");
      logOut.println(head);
      if (!quiet) {
        err.println(head);
      }
      TrainContext ctx = TrainContext.of(data, config)
          .withSeed(seed)
          .withItemFeatures(features)
          .withCheckpoints(out.resolve(CHECKPOINT_DIR), resume)
          .withListener(r -> {
            String line = epochLine(r);
            logOut.println(line);
            if (!quiet) {
              err.println(line);
            }
          });
      EvalResult valid;
      EvalResult test;
      Map<String, Double> validMetrics;
      Map<String, Double> testMetrics;
      TrainingHistory h;
      if (ctr) {
        CtrModel cm = ((CtrRecommender) rec).fitCtr(ctx);
        cm.save(out.resolve(MODEL_DIR));
        valid = CtrMetrics.evaluate(data, Split.VALID, cm);
        test = CtrMetrics.evaluate(data, Split.TEST, cm);
        validMetrics = valid.metrics();
        testMetrics = test.metrics();
        h = cm.history();
      } else {
        TrainedModel model = rec.fit(ctx);
        model.save(out.resolve(MODEL_DIR));
        EvalOptions eo = evalOptions(data.protocol());
        valid = Evaluator.evaluate(data, Split.VALID, model, eo);
        test = Evaluator.evaluate(data, Split.TEST, model, eo);
        validMetrics = withCold(ds, Split.VALID, model, eo, valid, config);
        testMetrics = withCold(ds, Split.TEST, model, eo, test, config);
        h = model.history();
      }
      double trainSecs = h.trainSeconds().stream().mapToDouble(Double::doubleValue).sum();

      RunRecord run = new RunRecord(rec.name(), seed).dataset(data).config(config.asMap());
      run.section("dataset").put("path", ref.path());
      run.section("dataset").put("format", ds.meta().getOrDefault("format", ref.format()));
      if (ref.split() != null) {
        run.section("dataset").put("split_requested", ref.split());
      }
      if (ref.options() != null && !ref.options().isEmpty()) {
        run.section("dataset").put("options", ref.options());
      }
      if (features != null) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", featuresDir == null ? null : featuresDir.toString());
        f.put("modalities", features.names());
        f.put("provenance", features.provenance());
        run.put("features", f);
      }
      run.version("djl", ai.djl.engine.Engine.getDjlVersion());
      run.metrics("valid", validMetrics).metrics("test", testMetrics);
      run.timing("epochs", h.epochsRun())
          .timing("best_epoch", h.bestEpoch())
          .timing("stopped_early", h.stoppedEarly())
          .timing("train_seconds_per_epoch", h.epochsRun() == 0 ? 0 : trainSecs / h.epochsRun())
          .timing("eval_seconds", test.seconds())
          .timing("valid_eval_seconds_per_epoch", mean(h.evalSeconds()))
          .timing("total_seconds", (System.nanoTime() - t0) / 1e9)
          .timing("peak_rss_mib", Console.peakRssMiB());
      Map<String, Object> hist = new LinkedHashMap<>();
      hist.put("loss", h.loss());
      hist.put("valid_" + h.validMetric(), h.valid());
      hist.put("train_seconds", h.trainSeconds());
      hist.put("eval_seconds", h.evalSeconds());
      run.put("history", hist);
      run.write(out);
      // the self-contained, versioned bundle that 'cliprec serve' loads (weights, id maps, seen items,
      // features, provenance); replaced whole on a re-run
      // (CTR models score given pairs and do not rank the catalogue: no bundle)
      Path bundle = out.resolve(BUNDLE_DIR);
      if (Files.exists(bundle)) {
        deleteTree(bundle);
      }
      if (!ctr) {
        io.cliprec.serve.bundle.Bundle.fromRun(out, ds, bundle);
      }
      String[] shown = ctr ? new String[] {CtrMetrics.AUC, CtrMetrics.LOG_LOSS}
          : new String[] {"Recall@20", "NDCG@20"};
      String done = String.format(Locale.ROOT,
          "done: %d epochs (best %d), test %s %.4f %s %.4f, %.1fs; run in %s", h.epochsRun(),
          h.bestEpoch(), shown[0], test.get(shown[0]), shown[1], test.get(shown[1]),
          (System.nanoTime() - t0) / 1e9, out);
      logOut.println(done);
      if (!quiet) {
        err.println(done);
      }
      return run;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Whether model {@code name} is a click-through-rate model (AUC/LogLoss, not full ranking). */
  static boolean isCtr(String name) {
    return ModelRegistry.get(name) instanceof CtrRecommender;
  }

  /** Config key of the cold-start threshold N (items with at most N training interactions). */
  static final String COLD_KEY = "cold_start_max_train";

  /**
   * {@code r}'s metrics, plus for leave-one-out (sequential) data the cold-start breakdown
   * ({@link ColdStart}: {@code cold@N/HR@10}, ..., {@code cold@N/users}) with N from the config key
   * {@value #COLD_KEY} (default {@link ColdStart#DEFAULT_MAX_TRAIN}).
   */
  static Map<String, Double> withCold(Dataset ds, Split split, io.cliprec.core.eval.Scorer model,
      EvalOptions eo, EvalResult r, Config config) {
    Map<String, Double> out = new LinkedHashMap<>(r.metrics());
    if (ds.protocol() == Protocol.LEAVE_ONE_OUT) {
      int n = config.getInt(COLD_KEY, ColdStart.DEFAULT_MAX_TRAIN);
      out.putAll(ColdStart.keyed(ColdStart.evaluate(ds, split, model, eo, n), n));
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String epochLine(EpochReport r) {
    return String.format(Locale.ROOT,
        "epoch %4d  loss %.5f  valid %s  best %d%s  train %.2fs  eval %.2fs", r.epoch(), r.loss(),
        Double.isNaN(r.validMetric()) ? "-" : String.format(Locale.ROOT, "%.4f", r.validMetric()),
        r.bestEpoch(), r.improved() ? " *" : "  ", r.trainSeconds(), r.evalSeconds());
  }

  private static double mean(List<Double> xs) {
    return xs.isEmpty() ? 0 : xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
