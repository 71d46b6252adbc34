package io.cliprec.encode;

import io.cliprec.encode.catalog.CatalogFormat;
import io.cliprec.encode.catalog.FieldSplit;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.fusion.ViewSimilarity;
import io.cliprec.encode.views.LongTextPolicy;
import io.cliprec.encode.views.ViewMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an encode run needs (mutable builder-style fields, validated by {@link EncodePipeline}).
 * Defaults: CLIPER views, CHUNK long texts, tau 0.1, fusion ATTENTION when CLIP text and images share a space
 * and SUM otherwise, text batch 32, image batch 16, decode threads = cores - 1.
 */
public final class EncodeOptions {
  /** Catalog file (required). */
  public Path catalog;
  /** Catalog format; null = detect from the file name. */
  public CatalogFormat catalogFormat;
  /** Id field; null = the format's default. */
  public String idField;
  /** Text fields in view order; empty = the format's default. */
  public List<String> textFields = List.of();
  /** One text field split into several view fields; null = none. */
  public FieldSplit splitField;
  /** {@code catalog_id dataset_id} file applied to catalog ids before alignment; null = none. */
  public Path idMap;
  /** Field with image paths/URLs; null = the format's default (if any). */
  public String imageField;
  /** Directory with {@code <id>.jpg|jpeg|png|webp}; null = none. */
  public Path images;
  /** {@code minilm}, a model directory, or null (= the CLIP text tower when a CLIP model is given, else minilm). */
  public String textModel;
  /** CLIP model directory or null. */
  public Path clipModel;
  public ViewMode views = ViewMode.CLIPER;
  /** Template overrides per field ({@code field -> "The product X is {}."}). */
  public Map<String, String> templates = new LinkedHashMap<>();
  /** Whether CLIPER mode adds the global view. */
  public boolean globalView = true;
  /** null = automatic (see class doc). */
  public Fusion fusion;
  public double tau = ViewSimilarity.DEFAULT_TAU;
  public LongTextPolicy longText = LongTextPolicy.CHUNK;
  /** Dataset whose item index the rows follow; null = catalog order. */
  public Path data;
  /** Dataset format (null = detect). */
  public String dataFormat;
  /** Output directory (required). */
  public Path out;
  /** ONNX intra-op threads, 0 = ONNX Runtime default. */
  public int threads;
  public int textBatch = 32;
  public int imageBatch = 16;
  public int decodeThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
}
