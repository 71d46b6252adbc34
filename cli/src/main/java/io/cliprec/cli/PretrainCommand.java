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
          + "--set view_b=text.meta, from 'cliprec reindex'). Defaults: 'cliprec pretrain cpmm --show-defaults'."
    })
final class PretrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "METHOD", description = "Pre-training method: cpmm.")
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

  @Override
  public Integer call() throws Exception {
    if (!"cpmm".equals(method)) {
      throw new IllegalArgumentException("unknown pre-training method '" + method + "'; known: cpmm");
    }
    if (Files.exists(out.resolve(ItemFeatures.MANIFEST))) {
      throw new IllegalArgumentException(out + " already holds features; choose another --out");
    }
    Config overrides = (config == null ? Config.empty() : Config.load(config)).withOverrides(sets);
    Dataset ds = data.load();
    ItemFeatures in = ItemFeatures.read(features).validateRows(ds);
    long t0 = System.nanoTime();
    List<Map<String, Object>> epochs = new ArrayList<>();
    ItemFeatures result = CpmmPretrainer.pretrain(ds, in, overrides, seed, s -> {
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
    run.timing("epochs", epochs.size())
        .timing("seconds_per_epoch", epochs.isEmpty() ? 0 : secs / epochs.size())
        .timing("total_seconds", secs)
        .timing("peak_rss_mib", Console.peakRssMiB());
    run.write(out);
    System.out.printf(Locale.ROOT, "wrote %s %s (%d items) in %.1f s%n", out, result.names(),
        result.numItems(), secs);
    return 0;
  }
}
