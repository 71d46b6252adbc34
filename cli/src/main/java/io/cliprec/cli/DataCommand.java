package io.cliprec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.DatasetStats;
import io.cliprec.core.io.DatasetFormats;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cliprec data ...}: dataset utilities. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset utilities.",
    subcommands = {DataCommand.Inspect.class, DataCommand.Formats.class})
final class DataCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code cliprec data inspect PATH}. */
  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = "Reads a dataset and prints counts, density, split sizes and checks.")
  static final class Inspect implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "PATH", description = "Dataset file or directory.")
    java.nio.file.Path path;

    @Option(names = "--format", paramLabel = "F", description = "Format (detected when omitted).")
    String format;

    @Option(names = "--split", paramLabel = "S", description = "Apply a splitter first (given, loo, ratio, temporal).")
    String split;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of a random splitter (default: ${DEFAULT-VALUE}, as train uses).")
    long seed;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      long t0 = System.nanoTime();
      Dataset ds = DataOptions.load(path, format, split, null,
          java.util.List.of("split.seed=" + seed));
      double secs = (System.nanoTime() - t0) / 1e9;
      DatasetStats stats = DatasetStats.of(ds);
      if (json) {
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
            .writeValueAsString(stats.toMap()));
      } else {
        System.out.print(stats.toText());
        System.out.printf(java.util.Locale.ROOT, "read in %.2f s%n", secs);
      }
      return 0;
    }
  }

  /** {@code cliprec data formats}. */
  @Command(name = "formats", mixinStandardHelpOptions = true, description = "Lists the dataset formats.")
  static final class Formats implements Callable<Integer> {
    @Override
    public Integer call() {
      for (String n : DatasetFormats.names()) {
        System.out.println(n + "\t" + DatasetFormats.reader(n).description());
      }
      return 0;
    }
  }
}
