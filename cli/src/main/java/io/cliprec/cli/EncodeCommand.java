package io.cliprec.cli;

import io.cliprec.encode.EncodeOptions;
import io.cliprec.encode.EncodePipeline;
import io.cliprec.encode.EncodeResult;
import io.cliprec.encode.catalog.CatalogFormat;
import io.cliprec.encode.catalog.FieldSplit;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.views.LongTextPolicy;
import io.cliprec.encode.views.ViewMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cliprec encode}: catalog (+ images) &rarr; item features. Writes {@code text_feat.npy} (one row per
 * item), {@code item_ids.txt} (row order), {@code text_views.npy}, and with a CLIP model and images
 * {@code image_feat.npy} and {@code sim.npy}, plus masks, {@code problems.tsv} and {@code manifest.json}.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {"Encodes a catalog's text fields (and images with a CLIP model) into item features.",
        "Text model: the bundled all-MiniLM-L6-v2 (--text-model minilm, default without --clip-model), an ONNX "
            + "sentence encoder directory, or the CLIP text tower (--clip-model without --text-model)."})
public final class EncodeCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, paramLabel = "PATH", description = "Catalog file (.jsonl, .json.gz, .csv, .tsv, .item, .text).")
  Path catalog;

  @Option(names = "--catalog-format", paramLabel = "F",
      description = "amazon2014, amazon2018, amazon2023, recbole, hm, jsonl, csv, tsv (detected from the name when omitted).")
  String catalogFormat;

  @Option(names = "--id-field", paramLabel = "NAME", description = "Item id field (format default when omitted).")
  String idField;

  @Option(names = "--text-fields", split = ",", paramLabel = "a,b,...", description = "Text fields, in view order.")
  List<String> textFields = new ArrayList<>();

  @Option(names = "--split-field", paramLabel = "FIELD=a,b,...",
      description = "Split one text field into view fields, from the right at --split-separator (e.g. "
          + "text=title,categories,brand for 'title. categories. brand.' text).")
  String splitField;

  @Option(names = "--split-separator", defaultValue = FieldSplit.DEFAULT_SEPARATOR, paramLabel = "SEP",
      description = "Separator for --split-field (default '${DEFAULT-VALUE}').")
  String splitSeparator;

  @Option(names = "--id-map", paramLabel = "FILE",
      description = "Rename catalog ids before aligning to --data: 'catalog_id dataset_id' lines (e.g. "
          + "Scientific.item2index).")
  Path idMap;

  @Option(names = "--image-field", paramLabel = "NAME", description = "Field holding image paths (relative to --images or the catalog).")
  String imageField;

  @Option(names = "--images", paramLabel = "DIR", description = "Directory of <id>.jpg|png|webp images.")
  Path images;

  @Option(names = "--text-model", paramLabel = "minilm|DIR", description = "Text encoder (see above).")
  String textModel;

  @Option(names = "--clip-model", paramLabel = "DIR",
      description = "CLIP exported by optimum: model.onnx or text_model.onnx + vision_model.onnx, tokenizer.json, preprocessor_config.json.")
  Path clipModel;

  @Option(names = "--views", defaultValue = "cliper", paramLabel = "raw|cliper",
      description = "raw: fields joined by a space, one view; cliper: one prompt per field + global view (default).")
  String views;

  @Option(names = "--template", paramLabel = "FIELD=TEXT", description = "Prompt template of a field, with {} for the value (repeatable).")
  Map<String, String> templates = new LinkedHashMap<>();

  @Option(names = "--no-global-view", description = "CLIPER mode without the global view.")
  boolean noGlobal;

  @Option(names = "--long-text", defaultValue = "chunk", paramLabel = "chunk|truncate",
      description = "Texts over the token limit: chunk (CLIPER: chunks repeating the view prefix, summed) or truncate.")
  String longText;

  @Option(names = "--fusion", paramLabel = "sum|concat|attention",
      description = "View fusion (default: attention with CLIP text + images, else sum).")
  String fusion;

  @Option(names = "--tau", defaultValue = "0.1", paramLabel = "T", description = "Similarity temperature (default 0.1).")
  double tau;

  @Option(names = "--data", paramLabel = "DATASET", description = "Align rows to this dataset's item index.")
  Path data;

  @Option(names = "--data-format", paramLabel = "F", description = "Format of --data (detected when omitted).")
  String dataFormat;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = all cores).")
  int threads;

  @Option(names = "--text-batch", defaultValue = "32", description = "Texts per inference call.")
  int textBatch;

  @Option(names = "--image-batch", defaultValue = "16", description = "Images per inference call.")
  int imageBatch;

  @Option(names = "--decode-threads", defaultValue = "-1", description = "Image decoding threads (default cores - 1).")
  int decodeThreads;

  @Override
  public Integer call() {
    EncodeOptions o = new EncodeOptions();
    o.catalog = catalog;
    o.catalogFormat = catalogFormat == null ? null : CatalogFormat.parse(catalogFormat);
    o.idField = idField;
    o.textFields = textFields;
    o.idMap = idMap;
    o.splitField = splitField == null ? null : FieldSplit.parse(splitField, splitSeparator);
    o.imageField = imageField;
    o.images = images;
    o.textModel = textModel;
    o.clipModel = clipModel;
    o.views = ViewMode.valueOf(views.trim().toUpperCase(Locale.ROOT));
    o.templates = templates;
    o.globalView = !noGlobal;
    o.longText = LongTextPolicy.valueOf(longText.trim().toUpperCase(Locale.ROOT));
    o.fusion = fusion == null ? null : Fusion.parse(fusion);
    o.tau = tau;
    o.data = data;
    o.dataFormat = dataFormat;
    o.out = out;
    o.threads = threads;
    o.textBatch = textBatch;
    o.imageBatch = imageBatch;
    if (decodeThreads > 0) {
      o.decodeThreads = decodeThreads;
    }
    EncodeResult r = EncodePipeline.run(o);
    Map<?, ?> t = (Map<?, ?>) r.manifest.get("timings");
    System.out.printf(Locale.ROOT, "encoded %d items: text_feat.npy [%d, %d] (%s fusion of %d views %s)%n",
        r.numItems(), r.numItems(), r.textDim, r.manifest.get("fusion"), r.numViews(), r.viewNames);
    if (r.image != null) {
      System.out.printf(Locale.ROOT, "image_feat.npy [%d, %d]: %s images encoded%n", r.numItems(), r.imageDim,
          r.manifest.get("images_encoded"));
    }
    System.out.printf(Locale.ROOT, "%.1f texts/s, %s images/s; %s problems (problems.tsv); wrote %s%n",
        ((Number) t.get("texts_per_s")).doubleValue(), String.format(Locale.ROOT, "%.1f",
            ((Number) t.get("images_per_s")).doubleValue()), r.manifest.get("problems"), out);
    return 0;
  }
}
