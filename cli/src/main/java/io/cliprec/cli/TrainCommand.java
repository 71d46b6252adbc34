package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cliprec train}: trains one model and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
      "Trains a model with early stopping on validation Recall@20 and evaluates it on the test split.",
      "CTR models (deepfm, xdeepfm) stop on validation AUC and report test AUC and LogLoss; on data "
          + "without click labels they train on a seeded negative-sampling CTR split (--set "
          + "ctr.negatives=N, ctr.seed=S).",
      "Writes DIR/run.json (config, seed, data hash, versions, metrics, timings), DIR/model/, "
          + "DIR/checkpoint/ (for --resume) and DIR/train.log."
    })
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "NAME",
      description = "Model name (see 'cliprec models').")
  String model;

  @Mixin DataOptions data = new DataOptions();

  @Option(names = "--features", paramLabel = "DIR",
      description = "Item features directory (.npy files, e.g. image_feat.npy, text_feat.npy) or .npz.")
  Path features;

  @Option(names = "--config", paramLabel = "FILE.yaml", description = "Hyper-parameters (YAML).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one hyper-parameter (YAML value syntax). Repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "999", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory.")
  Path out;

  @Option(names = "--pretrained", paramLabel = "DIR",
      description = "mp4sr: weights from 'cliprec pretrain mp4sr' (sets the config key pretrained).")
  Path pretrained;

  @Option(names = "--resume", description = "Continue a killed run from DIR/checkpoint.")
  boolean resume;

  @Option(names = "--quiet", description = "No per-epoch progress on the terminal (still in train.log).")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    io.cliprec.models.ModelRegistry.get(model); // fail on an unknown name before reading any data
    if (!resume && Files.isRegularFile(out.resolve(RunRecord.FILE))) {
      throw new IllegalArgumentException(out + " already holds a finished run (run.json); "
          + "choose another --out or delete it");
    }
    Config overrides = config == null ? Config.empty() : Config.load(config);
    overrides = overrides.withOverrides(sets);
    if (pretrained != null) {
      overrides = overrides.with("pretrained", pretrained.toAbsolutePath().toString());
    }
    Dataset ds = data.load();
    ItemFeatures feats = null;
    if (features != null) {
      feats = ItemFeatures.read(features);
      feats.validateRows(ds);
    }
    Runs.DataRef ref = new Runs.DataRef(data.data.toAbsolutePath().toString(), data.format, data.split,
        data.protocol, data.dataOpts);
    RunRecord run = Runs.train(model, ds, ref, feats, features, overrides, seed, out, resume,
        System.err, quiet);
    System.out.println(EvaluateCommand.metricsTable(run.asMap()));
    return 0;
  }
}
