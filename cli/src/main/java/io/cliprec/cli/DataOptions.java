package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.io.DatasetFormats;
import io.cliprec.core.split.Splitters;
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
      description = "Reader/splitter option, e.g. user.col=uid, split.ratios=[0.8,0.1,0.1]. Repeatable.")
  List<String> dataOpts = new ArrayList<>();

  /** Reads (and splits when needed) the dataset. */
  Dataset load(long seed) {
    return load(data, format, split, protocol, dataOpts, seed);
  }

  static Dataset load(Path path, String format, String split, Protocol protocol, List<String> opts,
      long seed) {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("dataset path does not exist: " + path);
    }
    Config options = Config.empty().withOverrides(opts);
    Dataset ds = DatasetFormats.read(path, format, options);
    String how = split;
    if (how == null && "none".equals(ds.meta().get("split"))) {
      how = ds.meta().getOrDefault("split.default", "ratio");
    }
    if (how != null && !"given".equals(how)) {
      ds = Splitters.create(how, options).split(ds, seed);
    }
    if (protocol != null) {
      ds = ds.withProtocol(protocol);
    }
    return ds;
  }
}
