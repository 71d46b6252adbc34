package io.cliprec.encode;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.io.DatasetFormats;
import io.cliprec.encode.catalog.CatalogItem;
import io.cliprec.encode.catalog.CatalogReader;
import io.cliprec.encode.catalog.IdMap;
import io.cliprec.encode.catalog.CatalogSpec;
import io.cliprec.encode.clip.ClipModel;
import io.cliprec.encode.clip.ImageEmbeddings;
import io.cliprec.encode.clip.ImageFailure;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.fusion.ViewSimilarity;
import io.cliprec.encode.text.OnnxTextEncoder;
import io.cliprec.encode.text.TextEncoder;
import io.cliprec.encode.views.PromptBuilder;
import io.cliprec.encode.views.ViewEncoder;
import io.cliprec.encode.views.ViewMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog &rarr; features: read the catalog, align rows (catalog order or a dataset's item index), build
 * the views, encode texts (chunking long ones), encode images (CLIP), compute per-view similarities, fuse,
 * apply the missing-item policy, and write the output directory ({@link EncodeWriter}).
 *
 * <p><b>Missing-item policy.</b> A row without a usable image (no file, unreadable, unsupported format) gets
 * the mean of the image embeddings that were computed, and 0 in {@code image_present.npy}; its similarities
 * are 0 (uniform attention). A dataset item absent from the catalog gets, in every text output, the mean of
 * the catalog rows, 0 in {@code catalog_present.npy}, and no image (as above). Nothing is silently zero.
 * Every such row is listed in {@code problems.tsv} with its reason.
 */
public final class EncodePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(EncodePipeline.class);

  private EncodePipeline() {}

  /** One per-row problem: row, id, what (view / image / catalog) and message. */
  public static final class Problem {
    public final int row;
    public final String id;
    public final String what;
    public final String message;

    Problem(int row, String id, String what, String message) {
      this.row = row;
      this.id = id;
      this.what = what;
      this.message = message;
    }
  }

  /** Runs the pipeline and writes {@code opts.out}. */
  public static EncodeResult run(EncodeOptions opts) {
    long t0 = System.nanoTime();
    if (opts.catalog == null || opts.out == null) {
      throw new IllegalArgumentException("--catalog and --out are required");
    }
    if (!Files.isRegularFile(opts.catalog)) {
      throw new IllegalArgumentException("catalog file not found: " + opts.catalog);
    }
    if (opts.images != null && !Files.isDirectory(opts.images)) {
      throw new IllegalArgumentException("--images is not a directory: " + opts.images);
    }
    // 1. catalog
    long tc = System.nanoTime();
    CatalogReader.Result cat = CatalogReader.read(opts.catalog, opts.catalogFormat,
        new CatalogSpec(opts.idField, opts.textFields, opts.imageField));
    if (opts.splitField != null) {
      cat = opts.splitField.apply(cat);
    }
    if (opts.idMap != null) {
      cat = IdMap.read(opts.idMap).apply(cat);
    }
    List<CatalogItem> items = cat.items();
    LOG.info("catalog {}: {} items, text fields {}", opts.catalog, items.size(), cat.textFields());
    // 2. alignment
    ItemAlignment align;
    String dataHash = null;
    if (opts.data != null) {
      Dataset ds = DatasetFormats.read(opts.data, opts.dataFormat, Config.empty());
      dataHash = ds.contentHash();
      align = ItemAlignment.toDataset(items, ds.items());
      LOG.info("aligned to dataset {} ({} items): {} without catalog entry, {} catalog items not in the dataset",
          ds.name(), ds.numItems(), align.missing, align.dropped);
    } else {
      align = ItemAlignment.catalogOrder(items);
    }
    double catalogSeconds = (System.nanoTime() - tc) / 1e9;
    int n = align.rows();
    boolean[] catalogPresent = new boolean[n];
    List<Integer> presentRows = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      catalogPresent[r] = align.catalogIndex[r] >= 0;
      if (catalogPresent[r]) {
        presentRows.add(r);
      } else {
        problems.add(new Problem(r, align.ids.get(r), "catalog", "dataset item not in the catalog: mean features"));
      }
    }
    if (presentRows.isEmpty()) {
      throw new IllegalArgumentException("no dataset item was found in the catalog (check --id-field; first "
          + "dataset ids " + align.ids.subList(0, Math.min(3, n)) + ", first catalog ids "
          + items.subList(0, Math.min(3, items.size())).stream().map(CatalogItem::id).toList() + ")");
    }
    // 3. views
    PromptBuilder prompts = opts.views == ViewMode.RAW ? PromptBuilder.raw(cat.textFields())
        : PromptBuilder.cliper(cat.textFields(), opts.templates);
    if (opts.views == ViewMode.CLIPER && !opts.globalView) {
      prompts = new PromptBuilder(ViewMode.CLIPER, prompts.templates(), false);
    }
    List<String> viewNames = prompts.viewNames();
    int v = viewNames.size();
    List<List<String>> texts = new ArrayList<>(presentRows.size());
    for (int r : presentRows) {
      texts.add(prompts.build(items.get(align.catalogIndex[r]).fields()));
    }
    List<String> prefixes = new ArrayList<>();
    for (int k = 0; k < v; k++) {
      prefixes.add(prompts.prefix(k));
    }
    // 4. models
    ClipModel clip = opts.clipModel == null ? null
        : ClipModel.load(opts.clipModel, opts.threads, opts.textBatch, opts.imageBatch);
    TextEncoder textEnc = null;
    try {
      boolean clipText = clip != null && opts.textModel == null;
      if (clipText) {
        textEnc = clip;
      } else if (opts.textModel == null || opts.textModel.equalsIgnoreCase("minilm")) {
        textEnc = OnnxTextEncoder.miniLm(opts.threads, opts.textBatch);
      } else {
        textEnc = OnnxTextEncoder.fromDirectory(Path.of(opts.textModel), 0, opts.threads, opts.textBatch);
      }
      boolean anyImageRef = items.stream().anyMatch(it -> it.imageRef() != null);
      boolean wantImages = clip != null && (opts.images != null || anyImageRef);
      if (clip != null && !wantImages) {
        LOG.warn("CLIP model given but no --images directory and no image field: encoding text only");
      }
      boolean sharedSpace = clipText && wantImages;
      Fusion fusion = opts.fusion != null ? opts.fusion : sharedSpace ? Fusion.ATTENTION : Fusion.SUM;
      if (fusion.needsSimilarity() && !sharedSpace) {
        throw new IllegalArgumentException("--fusion attention needs image and text in one space: give "
            + "--clip-model (and --images or an image field) without --text-model");
      }
      // 5. text views over present rows
      int np = presentRows.size();
      int d = textEnc.dim();
      List<Integer> rowsRef = presentRows;
      float[] viewsP = ViewEncoder.encode(texts, prefixes, viewNames, textEnc, opts.longText, note -> problems.add(
          new Problem(rowsRef.get(note.item), align.ids.get(rowsRef.get(note.item)), "view:" + note.view,
              note.message)));
      float[] views = expandViews(viewsP, v, np, d, presentRows, n);
      // 6. images
      float[] image = null;
      boolean[] imagePresent = null;
      int imageDim = 0;
      if (wantImages) {
        ImageLocator loc = new ImageLocator(opts.images, opts.catalog);
        List<Path> files = new ArrayList<>(n);
        String[] reason = new String[n];
        for (int r = 0; r < n; r++) {
          if (!catalogPresent[r]) {
            files.add(null);
            reason[r] = "dataset item not in the catalog";
            continue;
          }
          ImageLocator.Found f = loc.locate(items.get(align.catalogIndex[r]));
          files.add(f.path);
          reason[r] = f.reason;
        }
        ImageEmbeddings ie = clip.encodeImages(files, opts.decodeThreads);
        image = ie.data;
        imagePresent = ie.present;
        imageDim = ie.dim;
        for (ImageFailure f : ie.failures) {
          String why = reason[f.item] != null ? reason[f.item] : f.reason;
          problems.add(new Problem(f.item, align.ids.get(f.item), "image", why + ": mean image vector"));
        }
        fillMissingWithMean(image, n, imageDim, imagePresent);
        LOG.info("images: {} of {} rows encoded, {} without usable image", ie.presentCount(), n,
            n - ie.presentCount());
      }
      // 7. similarity + fusion
      float[] sim = null;
      if (sharedSpace) {
        sim = ViewSimilarity.compute(views, v, n, d, image, imagePresent, opts.tau);
      }
      float[] fused = fusion.apply(views, v, n, d, sim);
      int fd = fusion.outputDim(v, d);
      // rows absent from the catalog: mean of catalog rows in every text output
      if (!presentRows.isEmpty() && presentRows.size() < n) {
        fillMissingWithMean(fused, n, fd, catalogPresent);
        for (int k = 0; k < v; k++) {
          float[] one = new float[n * d];
          System.arraycopy(views, k * n * d, one, 0, n * d);
          fillMissingWithMean(one, n, d, catalogPresent);
          System.arraycopy(one, 0, views, k * n * d, n * d);
        }
      }
      problems.sort((a, b) -> Integer.compare(a.row, b.row));
      // 8. manifest
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", "cliprec-encode");
      m.put("version", 1);
      m.put("created", Instant.now().toString());
      m.put("catalog", opts.catalog.toAbsolutePath().toString());
      m.put("catalog_format", opts.catalogFormat == null ? "detected" : opts.catalogFormat.name().toLowerCase());
      m.put("catalog_items", items.size());
      m.put("catalog_duplicates_skipped", cat.duplicates());
      m.put("id_field", cat.idField());
      m.put("text_fields", cat.textFields());
      m.put("images", opts.images == null ? null : opts.images.toAbsolutePath().toString());
      if (opts.data != null) {
        Map<String, Object> dd = new LinkedHashMap<>();
        dd.put("path", opts.data.toAbsolutePath().toString());
        dd.put("content_hash", dataHash);
        dd.put("items_without_catalog_entry", align.missing);
        dd.put("catalog_items_not_in_dataset", align.dropped);
        m.put("dataset", dd);
      }
      m.put("rows", n);
      m.put("views", viewNames);
      m.put("view_mode", opts.views.name().toLowerCase());
      List<String> tmpl = new ArrayList<>();
      if (opts.views == ViewMode.CLIPER) {
        prompts.templates().forEach(t -> tmpl.add(t.name() + ": " + t.template()));
        if (opts.globalView) {
          tmpl.add("global: non-missing field prompts joined by a space");
        }
      }
      m.put("templates", tmpl);
      m.put("missing_filler", "Missing.");
      m.put("long_text", opts.longText.name().toLowerCase());
      m.put("max_tokens", textEnc.tokenizer().maxLength());
      Map<String, Object> te = new LinkedHashMap<>();
      te.put("name", textEnc.name());
      te.put("source", textEnc.modelSource());
      te.put("sha256", textEnc.modelSha256());
      te.put("dim", d);
      m.put("text_encoder", te);
      if (clip != null) {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("dir", opts.clipModel.toAbsolutePath().toString());
        ce.put("source", clip.modelSource());
        ce.put("sha256", clip.modelSha256());
        ce.put("layout", clip.joint() ? "joint model.onnx" : "text_model.onnx + vision_model.onnx");
        ce.put("dim", clip.dim());
        ce.put("preprocessing", clip.preprocessor().toString());
        m.put("clip", ce);
      }
      m.put("fusion", fusion.name().toLowerCase());
      m.put("tau", sharedSpace ? opts.tau : null);
      m.put("similarity", sharedSpace ? "cos(t_ik, v_i) / tau; 0 for rows without image"
          : "not computed (text and image not in one CLIP space)");
      m.put("missing_policy", "rows without usable image: mean image vector, image_present=0, sim=0; "
          + "dataset items absent from the catalog: mean text vectors, catalog_present=0");
      m.put("seed", "n/a (deterministic)");
      int imgOk = 0;
      if (imagePresent != null) {
        for (boolean b : imagePresent) {
          imgOk += b ? 1 : 0;
        }
      }
      m.put("images_encoded", imagePresent == null ? null : imgOk);
      m.put("problems", problems.size());
      Map<String, Object> stats = new LinkedHashMap<>(textEnc.stats().summary());
      if (clip != null && clip != textEnc) {
        Map<String, Object> is = clip.stats().summary();
        for (String k : is.keySet()) {
          if (k.startsWith("image")) {
            stats.put(k, is.get(k));
          }
        }
      }
      stats.put("catalog_read_s", catalogSeconds);
      stats.put("total_s", (System.nanoTime() - t0) / 1e9);
      m.put("timings", stats);
      if (sim != null) {
        m.put("similarity_stats", simStats(sim, n, v, viewNames, imagePresent));
      }
      EncodeResult res = new EncodeResult(align.ids, viewNames, fd, fused, d, views, imageDim, image, sim,
          imagePresent, catalogPresent, m);
      EncodeWriter.write(opts.out, res, problems);
      LOG.info("wrote {}: {} rows, text {}x{}, {} views, {} problems, {}", opts.out, n, n, fd, v,
          problems.size(), String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
      return res;
    } finally {
      if (textEnc != null && textEnc != clip) {
        textEnc.close();
      }
      if (clip != null) {
        clip.close();
      }
    }
  }

  /** Per view: mean, std, min, max of s_ik over rows with an image; and how often the view has max weight. */
  static Map<String, Object> simStats(float[] sim, int n, int v, List<String> names, boolean[] present) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] argmax = new int[v];
    double[] sum = new double[v];
    double[] sq = new double[v];
    double[] min = new double[v];
    double[] max = new double[v];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    int rows = 0;
    for (int i = 0; i < n; i++) {
      if (present != null && !present[i]) {
        continue;
      }
      rows++;
      int best = 0;
      for (int k = 0; k < v; k++) {
        double s = sim[i * v + k];
        sum[k] += s;
        sq[k] += s * s;
        min[k] = Math.min(min[k], s);
        max[k] = Math.max(max[k], s);
        if (s > sim[i * v + best]) {
          best = k;
        }
      }
      argmax[best]++;
    }
    for (int k = 0; k < v; k++) {
      Map<String, Object> s = new LinkedHashMap<>();
      double mean = rows == 0 ? 0 : sum[k] / rows;
      s.put("mean", mean);
      s.put("std", rows == 0 ? 0 : Math.sqrt(Math.max(0, sq[k] / rows - mean * mean)));
      s.put("min", rows == 0 ? 0 : min[k]);
      s.put("max", rows == 0 ? 0 : max[k]);
      s.put("top_view_share", rows == 0 ? 0 : (double) argmax[k] / rows);
      out.put(names.get(k), s);
    }
    return out;
  }

  /** Views of present rows {@code [V, np, D]} to all rows {@code [V, n, D]} (absent rows zero until filled). */
  private static float[] expandViews(float[] vp, int v, int np, int d, List<Integer> rows, int n) {
    if (np == n) {
      return vp;
    }
    float[] out = new float[Math.multiplyExact(Math.multiplyExact(v, n), d)];
    for (int k = 0; k < v; k++) {
      for (int j = 0; j < np; j++) {
        System.arraycopy(vp, (k * np + j) * d, out, (k * n + rows.get(j)) * d, d);
      }
    }
    return out;
  }

  /** Rows with {@code present[r] == false} get the mean of the present rows (zero if none is present). */
  static void fillMissingWithMean(float[] a, int n, int d, boolean[] present) {
    double[] mean = new double[d];
    int c = 0;
    for (int r = 0; r < n; r++) {
      if (present[r]) {
        c++;
        for (int j = 0; j < d; j++) {
          mean[j] += a[r * d + j];
        }
      }
    }
    if (c == n) {
      return;
    }
    for (int j = 0; j < d; j++) {
      mean[j] = c == 0 ? 0 : mean[j] / c;
    }
    for (int r = 0; r < n; r++) {
      if (!present[r]) {
        for (int j = 0; j < d; j++) {
          a[r * d + j] = (float) mean[j];
        }
      }
    }
  }
}
