package io.cliprec.serve;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.run.RunRecord;
import io.cliprec.encode.EncodeOptions;
import io.cliprec.encode.EncodePipeline;
import io.cliprec.serve.bundle.Bundle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Bundles whose features come from a real {@link EncodePipeline} run over a small catalog of the
 * {@link Fixtures} items (catalog order = the fixture's item index), made through
 * {@link Bundle#fromRun} like {@code cliprec bundle} does.
 */
public final class EncodedFixtures {
  /** Catalog rows: title, brand, description of item-00 .. item-14. */
  public static final String[][] ROWS = {
      {"red ceramic coffee mug", "Acme", "A sturdy mug for hot drinks"},
      {"blue running shoes", "Swift", "Lightweight shoes for road running"},
      {"stainless steel water bottle", "Hydra", "Keeps water cold for a day"},
      {"wireless noise cancelling headphones", "Sonic", "Over-ear headphones with long battery life"},
      {"organic green tea", "Leafy", "Loose leaf tea from the mountains"},
      {"cotton baby blanket", "Softy", "A warm blanket for newborns"},
      {"hardcover science fiction novel", "Orbit Books", "A story about a voyage to a distant star"},
      {"cast iron frying pan", "Forge", "Pre-seasoned pan for the stove and oven"},
      {"yoga mat", "Zen", "Non-slip mat for yoga and pilates"},
      {"mechanical keyboard", "Clack", "Keyboard with tactile switches and backlight"},
      {"leather wallet", "Hide", "Slim wallet with card slots"},
      {"children's wooden puzzle", "Toyland", "Puzzle of farm animals for toddlers"},
      {"electric toothbrush", "Bright", "Rechargeable toothbrush with timer"},
      {"garden hose", "Greenway", "Fifty foot hose with spray nozzle"},
      {"scented soy candle", "Glow", "Vanilla candle that burns for forty hours"},
  };

  private EncodedFixtures() {}

  /** The catalog CSV (id,title,brand,description) of the fixture's items. */
  public static Path catalog(Path dir) throws IOException {
    Dataset ds = Fixtures.dataset(3);
    StringBuilder sb = new StringBuilder("id,title,brand,description\n");
    for (int i = 0; i < ROWS.length; i++) {
      sb.append(ds.items().id(i)).append(',').append(String.join(",", ROWS[i])).append('\n');
    }
    Files.createDirectories(dir);
    Path cat = dir.resolve("catalog.csv");
    Files.writeString(cat, sb.toString());
    return cat;
  }

  /** One random-noise PNG per item under {@code dir/<id>.png} (distinct images). */
  public static Path images(Path dir) throws IOException {
    Dataset ds = Fixtures.dataset(3);
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < ds.numItems(); i++) {
      BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          img.setRGB(x, y, r.nextInt(1 << 24));
        }
      }
      ImageIO.write(img, "png", dir.resolve(ds.items().id(i) + ".png").toFile());
    }
    return dir;
  }

  /**
   * Encodes the catalog (MiniLM, or CLIP with images when {@code clip} is given), trains nothing (the
   * fixture's random factor model stands in), and bundles it with {@link Bundle#fromRun}.
   *
   * @param clip CLIP model directory or null for MiniLM text only
   * @return the bundle directory
   */
  public static Path bundle(Path tmp, Path clip) throws IOException {
    Dataset ds = Fixtures.dataset(3);
    EncodeOptions o = new EncodeOptions();
    o.catalog = catalog(tmp.resolve("catalog"));
    o.idField = "id";
    o.textFields = List.of("title", "brand", "description");
    o.threads = 1;
    o.decodeThreads = 1;
    if (clip != null) {
      o.clipModel = clip;
      o.images = images(tmp.resolve("images"));
    }
    o.out = tmp.resolve("features");
    EncodePipeline.run(o);
    Path run = tmp.resolve("run");
    Fixtures.model(3).save(run.resolve("model"));
    RunRecord rec = new RunRecord("bpr", 3).dataset(ds).config(Map.of("embedding_size", Fixtures.DIM));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("path", o.out.toString());
    rec.put("features", f);
    rec.write(run);
    Path out = tmp.resolve("bundle");
    Bundle.fromRun(run, ds, out);
    return out;
  }
}
