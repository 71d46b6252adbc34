package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.core.synth.SyntheticShop;
import io.cliprec.encode.EncodeOptions;
import io.cliprec.encode.EncodePipeline;
import io.cliprec.encode.EncodeResult;
import io.cliprec.encode.catalog.CatalogFormat;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.views.ViewMode;
import io.cliprec.models.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec quickstart}: the main job end to end on an embedded synthetic shop, offline. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {
      "Generates a small synthetic shop (catalog fields + users with hidden preferences), trains every "
          + "available model on it with early stopping, and prints one comparison table.",
      "Runs offline in a few minutes on 2 cores. Each model's run directory (run.json, model, log) is kept "
          + "under --out."
    })
final class QuickstartCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the shop and the models (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--users", defaultValue = "1500", description = "Shop users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--items", defaultValue = "800", description = "Shop items (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--models", split = ",", paramLabel = "NAME",
      description = "Models to train (default: all registered).")
  List<String> models;

  @Option(names = "--no-encode", description = "Skip the text-encoding stage (ID-only models).")
  boolean noEncode;

  @Option(names = "--max-epochs", defaultValue = "300",
      description = "Epoch limit per model; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
  int maxEpochs;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    SyntheticShop shop = SyntheticShop.generate(users, items, 20, seed);
    Dataset ds = shop.dataset();
    Files.createDirectories(out);
    shop.write(out.resolve("data"));
    System.out.println("cliprec quickstart");
    System.out.println("  data:     synthetic shop generated in-process with seed " + seed + ": "
        + ds.numUsers() + " users, " + ds.numItems() + " items, " + ds.train().size() + "/"
        + ds.valid().size() + "/" + ds.test().size() + " train/valid/test purchases (per-user "
        + "chronological 80/10/10); written to " + out.resolve("data"));
    ItemFeatures features = null;
    Path featDir = out.resolve("features");
    if (noEncode) {
      System.out.println("  encoders: none (--no-encode): models use interaction ids only");
    } else {
      System.out.println("  encoders: all-MiniLM-L6-v2 (bundled ONNX, mean pooling) over CLIPER text views "
          + "of title, brand, categories, description + a global view, SUM-fused (no images in the "
          + "shop); the multimodal models (vbpr, lattice, freedom) get these text features");
      System.out.flush();
      EncodeOptions eo = new EncodeOptions();
      eo.catalog = out.resolve("data/shop_items.tsv");
      eo.catalogFormat = CatalogFormat.TSV;
      eo.idField = "item_id";
      eo.textFields = List.of("title", "brand", "categories", "description");
      eo.textModel = "minilm";
      eo.views = ViewMode.CLIPER;
      eo.fusion = Fusion.SUM;
      eo.out = featDir;
      EncodeResult er = EncodePipeline.run(eo);
      features = ItemFeatures.read(featDir).validateRows(ds);
      System.out.printf(Locale.ROOT, "  encoded %d items x %d views -> text_feat [%d x %d] in %s%n",
          er.numItems(), er.numViews(), er.numItems(), er.textDim, featDir);
    }
    System.out.println("  protocol: MMRec full ranking, training items masked, early stopping on valid "
        + "Recall@20");
    // CTR models (deepfm, xdeepfm) need labelled pairs and report AUC, not this ranking table;
    // mp4sr needs text and image features (the shop has text only): run it with --models on real data
    List<String> names = models == null ? ModelRegistry.names().stream()
        .filter(n -> !Runs.isCtr(n) && !n.equals("mp4sr")).toList() : models;
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("model", "inputs", "Recall@10", "Recall@20", "NDCG@10", "NDCG@20", "epochs", "s/epoch"));
    Runs.DataRef ref = new Runs.DataRef("synthetic", "synthetic", null, null, List.of());
    for (String name : names) {
      System.out.print("training " + name + " ... ");
      System.out.flush();
      Path dir = out.resolve(name);
      if (Files.exists(dir)) {
        Runs.deleteTree(dir);
      }
      Config overrides = Config.empty().with("epochs", maxEpochs);
      ItemFeatures f = usesFeatures(name) ? features : null;
      RunRecord run = Runs.train(name, ds, ref, f, f == null ? null : featDir, overrides, seed, dir,
          false, System.err, true);
      Map<String, Object> timing = run.section("timing");
      System.out.printf(Locale.ROOT, "%s epochs (best %s), %.1f s%n", timing.get("epochs"),
          timing.get("best_epoch"), ((Number) timing.get("total_seconds")).doubleValue());
      rows.add(List.of(name, f == null ? "ids" : "ids + text", Console.f4(run.metric("test", "Recall@10")),
          Console.f4(run.metric("test", "Recall@20")), Console.f4(run.metric("test", "NDCG@10")),
          Console.f4(run.metric("test", "NDCG@20")), String.valueOf(timing.get("epochs")),
          Console.secs(((Number) timing.get("train_seconds_per_epoch")).doubleValue())));
    }
    String table = Console.table(rows);
    System.out.println();
    System.out.println("test metrics on the synthetic shop (seed " + seed + "):");
    System.out.print(table);
    Path md = out.resolve("results.md");
    ReportCommand.write(md, "# cliprec quickstart (seed " + seed + ")\n\n" + Console.markdown(rows));
    System.out.printf(Locale.ROOT, "%nruns and results.md in %s (%.0f s)%n", out,
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  /** Whether a model consumes item features (the multimodal backbones). */
  static boolean usesFeatures(String model) {
    return MULTIMODAL.contains(model);
  }

  static final java.util.Set<String> MULTIMODAL = java.util.Set.of("vbpr", "lattice", "freedom");

  /** Regenerates the shop a quickstart run was trained on, from the sizes and seed in run.json. */
  static Dataset shopFromRun(RunRecord rec) {
    Map<String, Object> d = rec.section("dataset");
    int u = Integer.parseInt(String.valueOf(d.get("synthetic.users")));
    int i = Integer.parseInt(String.valueOf(d.get("synthetic.items")));
    int m = Integer.parseInt(String.valueOf(d.get("synthetic.mean_purchases")));
    long s = Long.parseLong(String.valueOf(d.get("synthetic.seed")));
    return SyntheticShop.generate(u, i, m, s).dataset();
  }
}
