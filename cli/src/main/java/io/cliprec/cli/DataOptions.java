package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.io.DatasetFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that reads a dataset. */
final class DataOptions {
  @Option(names = "--data", required = true, paramLabel = "PATH",
      description = "Dataset file or directory (formats: see 'cliprec data formats').")
  Path data;

  @Option(names = "--format", paramLabel = "F",
      description = "Dataset format (mmrec, seq, cpmm-cf, cpmm-ctr, recbole, csv); detected when omitted.")
  String format;

  @Option(names = "--split", paramLabel = "S",
      description = "Re-split the data: given (as in the files), loo (leave-one-out by time), ratio "
          + "(per-user random, seeded), temporal (global time cut). Default: as the format implies.")
  String split;

  @Option(names = "--protocol", paramLabel = "P",
      description = "Evaluation protocol override: MMREC, LEAVE_ONE_OUT or CTR.")
  Protocol protocol;

  @Option(names = "--data-opt", paramLabel = "KEY=VALUE",
      description = "Reader/splitter option, e.g. user.col=uid, split.ratio=[0.8,0.1,0.1], split.seed=42. Repeatable.")
  List<String> dataOpts = new ArrayList<>();

  /** Reads (and splits when needed) the dataset. */
  Dataset load() {
    return load(data, format, split, protocol, dataOpts);
  }

  /**
   * Reads a dataset; {@code split} names a splitter (null: as the format implies; whole-data files get
   * their default splitter, seeded by option {@code split.seed}, default 42, so that every training seed
   * sees the same split).
   */
  static Dataset load(Path path, String format, String split, Protocol protocol, List<String> opts) {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("dataset path does not exist: " + path);
    }
    Config options = Config.empty().withOverrides(opts);
    if (split != null) {
      options = options.with("split", split);
    }
    if (protocol != null) {
      options = options.with("protocol", protocol.name());
    }
    return DatasetFormats.read(path, format, options);
  }
}
