package io.cliprec.cli;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.run.RunRecord;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.encode.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec bundle}: a self-contained, versioned serving bundle from a training run. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = {"Writes a self-contained serving bundle (manifest.json stamped cliprec-bundle + version, "
        + "model weights, id maps, seen items, item features, provenance) from a 'train --out' run; "
        + "'cliprec serve --bundle DIR' serves it.",
        "",
        "--features DIR attaches item features (and the encoder that made them) to the bundle, e.g. to an "
        + "ID-only run, so that POST /v1/items/encode works. When DIR was written by 'cliprec encode', its "
        + "manifest.json names the encoder; otherwise declare it with --text-model and/or --clip plus "
        + "--text-fields (raw view: the fields joined by spaces, as the features were made)."})
final class BundleCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory from 'train'.")
  Path run;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Bundle directory to create (must not exist or be empty).")
  Path out;

  @Option(names = "--features", paramLabel = "DIR",
      description = "Item features to bundle instead of the run's (text_feat.npy, image_feat.npy, ...; rows = "
          + "the run's items).")
  Path features;

  @Option(names = "--text-model", paramLabel = "minilm|DIR",
      description = "Text encoder that made --features' text_feat.npy (features without an encode manifest).")
  String textModel;

  @Option(names = "--clip", paramLabel = "DIR",
      description = "CLIP model (ONNX export) that made --features (features without an encode manifest); "
          + "its text tower is the text encoder unless --text-model is given.")
  Path clip;

  @Option(names = "--text-fields", split = ",", paramLabel = "a,b,...",
      description = "Catalog text fields the features encode, in order (with --text-model / --clip).")
  List<String> textFields;

  @Option(names = "--fusion", defaultValue = "sum", paramLabel = "sum|concat|attention",
      description = "Fusion of the views (with --text-model / --clip; default sum).")
  String fusion;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> encoder = null;
    boolean declares = textModel != null || clip != null || textFields != null;
    if (declares && features == null) {
      throw new IllegalArgumentException("--text-model, --clip and --text-fields describe --features DIR; "
          + "give --features too");
    }
    if (features != null) {
      if (!Files.isDirectory(features)) {
        throw new IllegalArgumentException("--features " + features + " is not a directory");
      }
      Map<String, Object> recorded = EncoderSpec.fromFeatures(features);
      if (recorded != null && declares) {
        throw new IllegalArgumentException("--features " + features + " was written by 'cliprec encode', "
            + "whose manifest.json records the encoder; drop --text-model/--clip/--text-fields");
      }
      if (recorded == null) {
        if (!declares) {
          System.err.println("note: " + features + " has no 'cliprec encode' manifest and no --text-model/--clip "
              + "was given: features are bundled without an encoder (POST /v1/items/encode answers 501)");
        } else {
          encoder = EncoderSpec.declared(textModel, clip, textFields, fusion);
        }
      }
    }
    bundleRun(run, out, features, encoder);
    System.err.println("bundle written to " + out);
    return 0;
  }

  /**
   * Bundles run directory {@code runDir} into {@code out}, reloading the run's dataset from its
   * {@code run.json}, with item features (null = the run's) and their encoder (null = from their encode
   * manifest).
   */
  static void bundleRun(Path runDir, Path out, Path features, Map<String, Object> encoder) throws IOException {
    RunRecord rec = RunRecord.read(runDir);
    Dataset ds = RecommendCommand.loadRunData(rec, null, null);
    Bundle.fromRun(runDir, ds, out, features, encoder);
  }
}
