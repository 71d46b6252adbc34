package io.cliprec.serve.encode;

import io.cliprec.encode.clip.ClipModel;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.fusion.ViewSimilarity;
import io.cliprec.encode.text.OnnxTextEncoder;
import io.cliprec.encode.text.TextEncoder;
import io.cliprec.encode.views.LongTextPolicy;
import io.cliprec.encode.views.PromptBuilder;
import io.cliprec.encode.views.ViewEncoder;
import io.cliprec.encode.views.ViewMode;
import io.cliprec.encode.views.ViewTemplate;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes one new item exactly as {@code cliprec encode} encoded the catalog: the same
 * {@link PromptBuilder} views (templates, global view, {@code Missing.} filler), {@link ViewEncoder}
 * (chunking or truncation of long texts), text model, CLIP image tower and {@link Fusion} (with
 * {@link ViewSimilarity} weights for attention fusion, 0 / uniform when no image is given, as for catalog
 * rows without an image). Built from a bundle's {@code encoder.json} ({@link EncoderSpec}); the model files
 * are checked against their recorded sha256 when opened. Calls are serialized ({@code synchronized}): the
 * ONNX sessions are not safe for concurrent use.
 */
public final class ItemEncoder implements AutoCloseable {
  private final TextEncoder text;
  private final ClipModel clip;
  private final PromptBuilder prompts;
  private final List<String> prefixes = new ArrayList<>();
  private final List<String> viewNames;
  private final Fusion fusion;
  private final double tau;
  private final LongTextPolicy longText;
  private final String type;
  private boolean closed;

  /** One encoded item. */
  public static final class Encoded {
    /** Fused text vector {@code [textDim]} as {@code cliprec encode} writes it to {@code text_feat}. */
    public final float[] text;
    /** L2-normalised CLIP image embedding {@code [clipDim]}, or null when no image was given. */
    public final float[] image;
    /** Chunking / truncation notes for over-long fields. */
    public final List<String> notes;

    Encoded(float[] text, float[] image, List<String> notes) {
      this.text = text;
      this.image = image;
      this.notes = notes;
    }
  }

  private ItemEncoder(String type, TextEncoder text, ClipModel clip, PromptBuilder prompts, Fusion fusion,
      double tau, LongTextPolicy longText) {
    this.type = type;
    this.text = text;
    this.clip = clip;
    this.prompts = prompts;
    this.viewNames = prompts.viewNames();
    for (int k = 0; k < viewNames.size(); k++) {
      prefixes.add(prompts.prefix(k));
    }
    this.fusion = fusion;
    this.tau = tau;
    this.longText = longText;
  }

  /**
   * Loads the encoder an {@code encoder.json} describes.
   *
   * @param threads ONNX intra-op threads (0 = ONNX Runtime default)
   * @throws EncoderUnavailableException 501 for type {@code none} or an unknown type, 503 when a model
   *     file is missing, unreadable or its sha256 differs from the recorded one
   */
  @SuppressWarnings("unchecked")
  public static ItemEncoder open(Map<String, Object> spec, int threads) {
    String type = String.valueOf(spec.get("type"));
    if (!type.equals("minilm") && !type.equals("clip") && !type.equals("onnx_text")) {
      throw new EncoderUnavailableException(501, type.equals("none") ? "no_encoder" : "encoder_unsupported",
          type.equals("none") ? "this bundle has no item encoder (encoder.json type 'none'), so new items "
              + "cannot be encoded; rebuild the bundle from a run whose features were written by "
              + "'cliprec encode'"
              : "encoder type '" + type + "' is not supported by this server", null);
    }
    Map<String, Object> tm = (Map<String, Object>) spec.get("text_model");
    Map<String, Object> cm = (Map<String, Object>) spec.get("clip");
    PromptBuilder prompts;
    Fusion fusion;
    LongTextPolicy longText;
    double tau;
    try {
      List<String> fields = (List<String>) spec.get("text_fields");
      ViewMode mode = ViewMode.valueOf(String.valueOf(spec.get("view_mode")).toUpperCase(Locale.ROOT));
      if (mode == ViewMode.RAW) {
        prompts = PromptBuilder.raw(fields);
      } else {
        List<ViewTemplate> ts = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) spec.get("templates")) {
          ts.add(new ViewTemplate(t.get("name").toString(), t.get("field").toString(),
              t.get("template").toString()));
        }
        prompts = new PromptBuilder(mode, ts, Boolean.TRUE.equals(spec.get("global_view")));
      }
      if (!prompts.viewNames().equals(spec.get("views"))) {
        throw new IllegalArgumentException("templates give views " + prompts.viewNames() + " but views are "
            + spec.get("views"));
      }
      fusion = Fusion.parse(String.valueOf(spec.get("fusion")));
      longText = LongTextPolicy.valueOf(String.valueOf(spec.get("long_text")).toUpperCase(Locale.ROOT));
      tau = spec.get("tau") instanceof Number ? ((Number) spec.get("tau")).doubleValue()
          : ViewSimilarity.DEFAULT_TAU;
      if (tm == null || (type.equals("clip") && cm == null)) {
        throw new IllegalArgumentException("text_model / clip section missing");
      }
    } catch (RuntimeException e) {
      throw new EncoderUnavailableException(501, "encoder_unsupported", "encoder.json is malformed: " + e.getMessage(),
          e);
    }
    ClipModel clip = null;
    TextEncoder text = null;
    try {
      if (cm != null) {
        Path dir = Path.of(String.valueOf(cm.get("path")));
        if (!Files.isDirectory(dir)) {
          throw new EncoderUnavailableException(503, "encoder_unavailable", "CLIP model directory " + dir
              + " named in encoder.json does not exist on this machine; copy the model there (the bundle "
              + "references model files, it does not contain them)", null);
        }
        clip = ClipModel.load(dir, threads, 8, 1);
        checkSha("CLIP model " + dir, cm.get("sha256"), clip.modelSha256());
      }
      if (Boolean.TRUE.equals(tm.get("from_clip"))) {
        text = clip;
      } else if ("minilm".equals(tm.get("id"))) {
        text = OnnxTextEncoder.miniLm(threads, 8);
        checkSha("bundled all-MiniLM-L6-v2", tm.get("sha256"), text.modelSha256());
      } else {
        Path dir = Path.of(String.valueOf(tm.get("path")));
        if (!Files.isDirectory(dir)) {
          throw new EncoderUnavailableException(503, "encoder_unavailable", "text model directory " + dir
              + " named in encoder.json does not exist on this machine", null);
        }
        int maxTokens = tm.get("max_tokens") instanceof Number ? ((Number) tm.get("max_tokens")).intValue() : 0;
        text = OnnxTextEncoder.fromDirectory(dir, maxTokens, threads, 8);
        checkSha("text model " + dir, tm.get("sha256"), text.modelSha256());
      }
      return new ItemEncoder(type, text, clip, prompts, fusion, tau, longText);
    } catch (RuntimeException e) {
      if (text != null && text != clip) {
        text.close();
      }
      if (clip != null) {
        clip.close();
      }
      if (e instanceof EncoderUnavailableException) {
        throw e;
      }
      throw new EncoderUnavailableException(503, "encoder_unavailable", "cannot load the bundled encoder: "
          + e.getMessage(), e);
    }
  }

  private static void checkSha(String what, Object recorded, String actual) {
    if (recorded == null || !recorded.toString().equals(actual)) {
      throw new EncoderUnavailableException(503, "encoder_unavailable", what + " has sha256 " + actual
          + " but the bundle was made with " + recorded + ": the model changed since the features were "
          + "encoded, so new items would not be comparable; restore that model or re-encode and re-bundle",
          null);
    }
  }

  /** {@code minilm}, {@code onnx_text} or {@code clip}. */
  public String type() {
    return type;
  }

  /** Whether an image can be encoded (a CLIP model is bundled). */
  public boolean acceptsImages() {
    return clip != null;
  }

  /** Text fields the prompts read, in view order. */
  public List<String> fields() {
    List<String> f = new ArrayList<>();
    for (ViewTemplate t : prompts.templates()) {
      f.add(t.field());
    }
    return f;
  }

  /**
   * Encodes one item.
   *
   * @param fields field name &rarr; raw value (absent = missing, as in the catalog)
   * @param image decoded image or null
   * @throws IllegalArgumentException for an image without a CLIP model
   */
  public synchronized Encoded encode(Map<String, String> fields, BufferedImage image) {
    if (closed) {
      throw new IllegalStateException("encoder is closed");
    }
    if (image != null && clip == null) {
      throw new IllegalArgumentException("this bundle's encoder is text-only (" + type + "); images need a "
          + "CLIP encoder");
    }
    List<String> notes = new ArrayList<>();
    float[] views = ViewEncoder.encode(List.of(prompts.build(fields)), prefixes, viewNames, text, longText,
        n -> notes.add(n.view + ": " + n.message));
    int v = viewNames.size();
    int d = text.dim();
    float[] img = image == null ? null : clip.encodeImage(image);
    float[] sim = null;
    if (fusion.needsSimilarity()) {
      sim = ViewSimilarity.compute(views, v, 1, d, img == null ? new float[d] : img,
          new boolean[] {img != null}, tau);
    }
    float[] fused = fusion.apply(views, v, 1, d, sim);
    return new Encoded(fused, img, notes);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (text != null && text != clip) {
      text.close();
    }
    if (clip != null) {
      clip.close();
    }
  }
}
