package io.cliprec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.eval.CtrMetrics;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.models.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cliprec experiment --config FILE.yaml}: a grid of models &times; feature sets &times;
 * hyper-parameter values &times; seeds on one dataset. Model selection uses VALID metrics only; the table
 * reports the selected configuration's TEST metrics as mean &plusmn; std over seeds and the relative gain of
 * each feature set over the same model without features. Finished runs are skipped and killed runs
 * resume, so the command can be re-run after an interruption.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = {
      "Runs a grid of models x feature sets x hyper-parameters x seeds and prints one results table "
          + "(mean ± std over seeds, selection on validation only, gains over ID-only).",
      "Writes OUT/<model>/<features>/<grid point>/seed-<n>/run.json and OUT/results.{csv,json,md}. "
          + "Re-running skips finished runs and resumes killed ones.",
      "",
      "Config (YAML):",
      "  data: PATH            # dataset (required); format: F; split: S; data_options: [k=v]",
      "  out: DIR              # default runs/experiment",
      "  seeds: [999, 1000]    # default [999]",
      "  metrics: [Recall@20, NDCG@20]   # reported test metrics (CTR models only: [AUC, LogLoss])",
      "  select: Recall@20     # validation metric for choosing grid points (CTR models: always AUC)",
      "  features:             # named feature sets; 'none' (ID only) always exists",
      "    clip: DIR                                        # a features dir / .npy / .npz",
      "    lfm: {files: {text: minilm.npy, audio: whisper.npy}}   # which file is which modality",
      "    mlp: {path: DIR, set: {text_fusion: mlp}}        # + config for runs on this set",
      "  set: {epochs: 500}    # overrides for every run",
      "  models:",
      "    bpr: {}                                 # features default [none]",
      "    vbpr: {features: [clip]}",
      "    lightgcn: {grid: {reg_weight: [1e-4, 1e-3]}, set: {n_layers: 2}}"
    })
final class ExperimentCommand implements Callable<Integer> {
  static final String NONE = "none";

  @Option(names = "--config", required = true, paramLabel = "FILE.yaml", description = "Experiment file.")
  Path config;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (overrides the file's 'out').")
  Path outOverride;

  @Option(names = "--dry-run", description = "List the runs without training.")
  boolean dryRun;

  /** One cell of the grid. */
  record Cell(String model, String features, String point, Map<String, Object> params, long seed) {}

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    Map<String, Object> spec;
    try {
      spec = new ObjectMapper(new YAMLFactory()).readValue(config.toFile(), LinkedHashMap.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(config + ": invalid YAML: " + e.getMessage(), e);
    }
    if (spec == null || spec.get("data") == null) {
      throw new IllegalArgumentException(config + ": key 'data' (the dataset path) is required");
    }
    Path base = config.toAbsolutePath().getParent();
    Path data = base.resolve(spec.get("data").toString()).normalize();
    Path out = outOverride != null ? outOverride
        : Path.of(String.valueOf(spec.getOrDefault("out", "runs/experiment")));
    List<Long> seeds = new ArrayList<>();
    for (Object s : (List<Object>) spec.getOrDefault("seeds", List.of(999))) {
      seeds.add(((Number) s).longValue());
    }
    Map<String, Object> models = (Map<String, Object>) spec.get("models");
    if (models == null || models.isEmpty()) {
      throw new IllegalArgumentException(config + ": key 'models' must name at least one model");
    }
    boolean allCtr = models.keySet().stream().allMatch(Runs::isCtr);
    List<String> metrics = (List<String>) spec.getOrDefault("metrics", allCtr
        ? List.of(CtrMetrics.AUC, CtrMetrics.LOG_LOSS) : List.of("Recall@20", "NDCG@20"));
    String rankingSelect = String.valueOf(spec.getOrDefault("select", "Recall@20"));
    // click-through-rate models are always selected on validation AUC (they have no ranking metrics)
    java.util.function.Function<String, String> selectFor =
        m -> Runs.isCtr(m) ? CtrMetrics.AUC : rankingSelect;
    Map<String, ExperimentFeatureSet> featureSets = new LinkedHashMap<>();
    featureSets.put(NONE, null);
    Map<String, Object> fs = (Map<String, Object>) spec.getOrDefault("features", Map.of());
    for (Map.Entry<String, Object> e : fs.entrySet()) {
      if (NONE.equals(e.getKey())) {
        throw new IllegalArgumentException(config + ": feature set name '" + NONE + "' is reserved (ID only)");
      }
      featureSets.put(e.getKey(), ExperimentFeatureSet.parse(e.getKey(), e.getValue(), base));
    }
    Config common = Config.of((Map<String, Object>) spec.getOrDefault("set", Map.of()));
    List<Cell> cells = new ArrayList<>();
    Map<String, Config> modelSets = new LinkedHashMap<>();
    for (Map.Entry<String, Object> m : models.entrySet()) {
      String name = m.getKey();
      ModelRegistry.get(name); // fail early on unknown names
      Map<String, Object> ms = m.getValue() == null ? Map.of() : (Map<String, Object>) m.getValue();
      modelSets.put(name, Config.of((Map<String, Object>) ms.getOrDefault("set", Map.of())));
      List<String> feats = (List<String>) ms.getOrDefault("features", List.of(NONE));
      for (String f : feats) {
        if (!featureSets.containsKey(f)) {
          throw new IllegalArgumentException(config + ": model " + name + " names feature set '" + f
              + "', not one of " + featureSets.keySet());
        }
      }
      List<Map<String, Object>> points = gridPoints((Map<String, Object>) ms.getOrDefault("grid", Map.of()));
      for (String f : feats) {
        for (Map<String, Object> p : points) {
          for (long seed : seeds) {
            cells.add(new Cell(name, f, slug(p), p, seed));
          }
        }
      }
    }
    System.out.println("experiment " + config + ": " + cells.size() + " runs on " + data + " -> " + out);
    if (dryRun) {
      for (Cell c : cells) {
        System.out.println("  " + c.model + " / " + c.features + " / " + c.point + " / seed " + c.seed);
      }
      return 0;
    }
    List<String> dataOpts = (List<String>) spec.getOrDefault("data_options", List.of());
    String format = (String) spec.get("format");
    String split = (String) spec.get("split");
    Dataset ds = DataOptions.load(data, format, split, null, dataOpts);
    System.out.println("data: " + ds);
    Runs.DataRef ref = new Runs.DataRef(data.toString(), format, split, null, dataOpts);
    Map<String, ItemFeatures> loaded = new LinkedHashMap<>();
    Map<Cell, RunRecord> done = new LinkedHashMap<>();
    int i = 0;
    for (Cell c : cells) {
      i++;
      Path dir = out.resolve(c.model).resolve(c.features).resolve(c.point).resolve("seed-" + c.seed);
      String tag = String.format(Locale.ROOT, "[%d/%d] %s / %s / %s / seed %d", i, cells.size(), c.model,
          c.features, c.point, c.seed);
      if (Files.isRegularFile(dir.resolve(RunRecord.FILE))) {
        done.put(c, RunRecord.read(dir));
        System.out.println(tag + ": done earlier");
        continue;
      }
      ItemFeatures feats = null;
      ExperimentFeatureSet set = featureSets.get(c.features);
      Config overrides = common.merge(modelSets.get(c.model));
      if (set != null) {
        feats = loaded.computeIfAbsent(c.features, k -> set.load());
        feats.validateRows(ds);
        overrides = overrides.merge(set.set());
      }
      overrides = overrides.merge(Config.of(c.params));
      boolean resume = Files.isDirectory(dir.resolve(Runs.CHECKPOINT_DIR));
      RunRecord r = Runs.train(c.model, ds, ref, feats, set == null ? null : set.path(), overrides, c.seed,
          dir, resume, System.err, true);
      r.put("experiment", Map.of("features", c.features, "point", c.point, "params", c.params));
      r.write(dir);
      done.put(c, r);
      String select = selectFor.apply(c.model);
      System.out.printf(Locale.ROOT, "%s: valid %s %.4f, test %s %.4f, %s epochs%s%n", tag, select,
          r.metric("valid", select), select, r.metric("test", select), r.section("timing").get("epochs"),
          resume ? " (resumed)" : "");
    }
    ExperimentTable table = ExperimentTable.of(done, metrics, selectFor);
    System.out.println();
    System.out.print(table.text());
    Files.createDirectories(out);
    ReportCommand.write(out.resolve("results.csv"), table.csv());
    ReportCommand.write(out.resolve("results.md"), table.markdown());
    ReportCommand.write(out.resolve("results.json"), new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(table.rows()));
    System.out.println("\nresults.{csv,json,md} in " + out);
    return 0;
  }

  /** Cartesian product of a grid {key: [values]}; one empty point when the grid is empty. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> gridPoints(Map<String, Object> grid) {
    List<Map<String, Object>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<String, Object> e : grid.entrySet()) {
      List<Object> values = e.getValue() instanceof List ? (List<Object>) e.getValue() : List.of(e.getValue());
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> p : points) {
        for (Object v : values) {
          Map<String, Object> q = new LinkedHashMap<>(p);
          q.put(e.getKey(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points;
  }

  /** A directory-safe name of a grid point ("default" for the empty point). */
  static String slug(Map<String, Object> p) {
    if (p.isEmpty()) {
      return "default";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : p.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString().replaceAll("[^A-Za-z0-9_.,=+-]", "_");
  }
}
