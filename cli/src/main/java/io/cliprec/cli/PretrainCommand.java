package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.pretrain.cpmm.CpmmPretrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cliprec pretrain cpmm}: pre-trains item representations and writes an ItemFeatures directory. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {
      "Pre-trains item representations from item features and training interactions and writes an item "
          + "features directory that any model takes with --features.",
      "  cpmm: CPMM contrastive heads (image-text InfoNCE + modality gap + first-order co-interaction); "
          + "outputs image, text and id (128-d); with one modality, two text views (--set view_a=text.title "
          + "--set view_b=text.meta, from 'cliprec reindex'). Defaults: 'cliprec pretrain cpmm --show-defaults'.",
      "  mp4sr: MP4SR sequence pre-training (item drop, text/image sequence mixup, next-item InfoNCE per "
          + "modality + 0.01 cross-modality NT-Xent); needs features text and image and sequential "
          + "(leave-one-out) data; writes encoder + adaptor weights for 'cliprec train --model mp4sr "
          + "--pretrained DIR', run.json and DIR/checkpoint (--resume)."
    })
final class PretrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "METHOD", description = "Pre-training method: cpmm or mp4sr.")
  String method;

  @Mixin DataOptions data = new DataOptions();

  @Option(names = "--features", required = true, paramLabel = "DIR", description = "Input item features.")
  Path features;

  @Option(names = "--config", paramLabel = "FILE.yaml", description = "Hyper-parameters (YAML).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one hyper-parameter. Repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "999", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output features directory.")
  Path out;

  @Option(names = "--resume", description = "Continue a killed run from DIR/checkpoint (written after every epoch).")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    if ("mp4sr".equals(method)) {
      return mp4sr();
    }
    if (!"cpmm".equals(method)) {
      throw new IllegalArgumentException("unknown pre-training method '" + method + "'; known: cpmm, mp4sr");
    }
    if (Files.exists(out.resolve(ItemFeatures.MANIFEST))) {
      throw new IllegalArgumentException(out + " already holds features; choose another --out");
    }
    Config overrides = (config == null ? Config.empty() : Config.load(config)).withOverrides(sets);
    Dataset ds = data.load();
    ItemFeatures in = ItemFeatures.read(features).validateRows(ds);
    long t0 = System.nanoTime();
    List<Map<String, Object>> epochs = new ArrayList<>();
    Path ckpt = out.resolve("checkpoint");
    if (resume && !io.cliprec.models.train.Checkpoint.exists(ckpt)) {
      System.err.println("no checkpoint in " + ckpt + ": starting from epoch 1");
    }
    ItemFeatures result = CpmmPretrainer.pretrain(ds, in, overrides, seed, ckpt, resume, s -> {
      System.err.printf(Locale.ROOT,
          "epoch %4d  loss %.5f  contrastive %.5f  gap %.5f  co-interaction %.5f  %.2fs%n", s.epoch(),
          s.loss(), s.contrastive(), s.gap(), s.coInteraction(), s.seconds());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("epoch", s.epoch());
      e.put("loss", s.loss());
      e.put("seconds", s.seconds());
      epochs.add(e);
    });
    result.write(out);
    double secs = (System.nanoTime() - t0) / 1e9;
    RunRecord run = new RunRecord("pretrain-" + method, seed).dataset(ds)
        .config(CpmmPretrainer.defaults().merge(overrides).asMap());
    run.section("dataset").put("path", data.data.toAbsolutePath().toString());
    run.put("input_features", features.toAbsolutePath().toString());
    run.put("output_modalities", result.names());
    run.put("history", epochs);
    int first = epochs.isEmpty() ? 1 : (Integer) epochs.get(0).get("epoch");
    run.timing("epochs", epochs.isEmpty() ? 0 : (Integer) epochs.get(epochs.size() - 1).get("epoch"))
        .timing("resumed_after_epoch", first - 1)
        .timing("seconds_per_epoch", epochs.isEmpty() ? 0 : secs / epochs.size())
        .timing("total_seconds", secs)
        .timing("peak_rss_mib", Console.peakRssMiB());
    run.write(out);
    System.out.printf(Locale.ROOT, "wrote %s %s (%d items) in %.1f s%n", out, result.names(),
        result.numItems(), secs);
    return 0;
  }

  private Integer mp4sr() throws Exception {
    if (Files.exists(out.resolve(RunRecord.FILE))) {
      throw new IllegalArgumentException(out + " already holds a finished pre-training (run.json); "
          + "choose another --out");
    }
    Config overrides = (config == null ? Config.empty() : Config.load(config)).withOverrides(sets);
    Dataset ds = data.load();
    if (ds.protocol() != io.cliprec.core.data.Protocol.LEAVE_ONE_OUT) {
      throw new IllegalArgumentException("mp4sr pre-training needs sequential (leave-one-out) data; "
          + data.data + " is " + ds.protocol() + " (try --format seq or --split loo)");
    }
    ItemFeatures in = ItemFeatures.read(features).validateRows(ds);
    Files.createDirectories(out);
    long t0 = System.nanoTime();
    List<Map<String, Object>> epochs = new ArrayList<>();
    java.io.PrintStream log = new java.io.PrintStream(Files.newOutputStream(out.resolve("pretrain.log"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true, "UTF-8");
    io.cliprec.pretrain.mp4sr.Mp4srPretrainer.Result res;
    try (log) {
      String head = String.format(Locale.ROOT, "pretraining mp4sr on %s (seed %d)%s", ds, seed,
          resume ? " [resume]" : "");
      log.println(head);
      System.err.println(head);
      res = io.cliprec.pretrain.mp4sr.Mp4srPretrainer.pretrain(ds, in, overrides, seed, out, resume, e -> {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %4d  loss %.5f", e.epoch(),
            e.loss()));
        e.terms().forEach((k, v) -> line.append(String.format(Locale.ROOT, "  %s %.5f", k, v)));
        line.append(String.format(Locale.ROOT, "  valid %s  best %d%s  train %.2fs (%.0f seq/s)  eval %.2fs",
            Double.isNaN(e.valid()) ? "-" : String.format(Locale.ROOT, "%.4f", e.valid()), e.bestEpoch(),
            e.improved() ? " *" : "  ", e.trainSeconds(), e.sequencesPerSecond(), e.evalSeconds()));
        log.println(line);
        System.err.println(line);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e.epoch());
        m.put("loss", e.loss());
        m.putAll(e.terms());
        m.put("valid", Double.isNaN(e.valid()) ? null : e.valid());
        m.put("train_seconds", e.trainSeconds());
        m.put("sequences_per_second", e.sequencesPerSecond());
        epochs.add(m);
      });
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    io.cliprec.models.TrainingHistory h = res.history();
    double trainSecs = h.trainSeconds().stream().mapToDouble(Double::doubleValue).sum();
    RunRecord run = new RunRecord("pretrain-" + method, seed).dataset(ds)
        .config(io.cliprec.pretrain.mp4sr.Mp4srPretrainer.defaults().merge(overrides).asMap());
    run.section("dataset").put("path", data.data.toAbsolutePath().toString());
    run.put("input_features", features.toAbsolutePath().toString());
    run.put("history", epochs);
    run.metrics("valid", Map.of(h.validMetric(), h.bestValid()));
    run.timing("epochs", h.epochsRun())
        .timing("best_epoch", h.bestEpoch())
        .timing("stopped_early", h.stoppedEarly())
        .timing("sequences_per_epoch", res.sequences())
        .timing("train_seconds_per_epoch", h.epochsRun() == 0 ? 0 : trainSecs / h.epochsRun())
        .timing("sequences_per_second", trainSecs == 0 ? 0 : res.sequences() * (double) h.epochsRun() / trainSecs)
        .timing("total_seconds", secs)
        .timing("peak_rss_mib", Console.peakRssMiB());
    run.write(out);
    System.out.printf(Locale.ROOT, "wrote %s: %d epochs (best %d, valid %s %.4f), %.0f sequences/s, %.1f s%n",
        out, h.epochsRun(), h.bestEpoch(), h.validMetric(), h.bestValid(),
        trainSecs == 0 ? 0 : res.sequences() * (double) h.epochsRun() / trainSecs, secs);
    return 0;
  }
}
