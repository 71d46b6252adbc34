package io.cliprec.cli;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.run.RunRecord;
import io.cliprec.serve.bundle.Bundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec bundle}: a self-contained, versioned serving bundle from a training run. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = "Writes a self-contained serving bundle (manifest.json stamped cliprec-bundle + version, "
        + "model weights, id maps, seen items, item features, provenance) from a 'train --out' run; "
        + "'cliprec serve --bundle DIR' serves it.")
final class BundleCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory from 'train'.")
  Path run;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Bundle directory to create (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() throws Exception {
    bundleRun(run, out);
    System.err.println("bundle written to " + out);
    return 0;
  }

  /**
   * Bundles run directory {@code runDir} into {@code out}, reloading the run's dataset from its
   * {@code run.json} (for {@code train --bundle DIR}: call this after the run is written, or
   * {@link Bundle#fromRun} directly with the dataset at hand).
   */
  static void bundleRun(Path runDir, Path out) throws IOException {
    RunRecord rec = RunRecord.read(runDir);
    Dataset ds = RecommendCommand.loadRunData(rec, null, null);
    Bundle.fromRun(runDir, ds, out);
  }
}
