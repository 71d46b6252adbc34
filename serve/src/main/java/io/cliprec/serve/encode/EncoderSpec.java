package io.cliprec.serve.encode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.encode.clip.ClipModel;
import io.cliprec.encode.text.OnnxTextEncoder;
import io.cliprec.encode.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code encoder.json}, derived from the {@code manifest.json} that {@code cliprec encode}
 * wrote next to the features. Keys (all additive to bundle format 1; older bundles hold
 * {@code {"type": "none"}}):
 * <pre>
 * type          "minilm" (bundled all-MiniLM-L6-v2), "onnx_text" (a text model directory) or "clip"
 * text_model    {id: "minilm" | null, path: model directory | null, sha256, dim, max_tokens, from_clip}
 * clip          {path: CLIP model directory, sha256, dim} or null
 * view_mode     "cliper" | "raw";  views: [view names];  global_view: bool
 * templates     [{name, field, template}] (CLIPER; empty in raw mode)
 * text_fields   catalog text fields in view order
 * fusion        "sum" | "concat" | "attention";  tau: number or null;  long_text: "chunk" | "truncate"
 * source        the encode manifest it came from (provenance only)
 * </pre>
 * Model files are referenced by path and sha256 only; the weights are never copied into a bundle.
 */
public final class EncoderSpec {
  /** Format name of an encode manifest. */
  public static final String ENCODE_FORMAT = "cliprec-encode";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EncoderSpec() {}

  /** The "no encoder" configuration of bundles without one. */
  public static Map<String, Object> none() {
    Map<String, Object> enc = new LinkedHashMap<>();
    enc.put("type", "none");
    enc.put("config", null);
    enc.put("note", "no item encoder is bundled; POST /v1/items/encode answers 501");
    return enc;
  }

  /**
   * The encoder configuration of a feature directory written by {@code cliprec encode}, or null when it
   * has no encode {@code manifest.json}.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> fromFeatures(Path featuresDir) throws IOException {
    Path mf = featuresDir.resolve("manifest.json");
    if (!Files.isRegularFile(mf)) {
      return null;
    }
    Map<String, Object> m = JSON.readValue(mf.toFile(), LinkedHashMap.class);
    if (!ENCODE_FORMAT.equals(m.get("format"))) {
      return null;
    }
    Map<String, Object> out = fromManifest(m);
    out.put("source", mf.toAbsolutePath().normalize().toString());
    return out;
  }

  /**
   * The encoder configuration of features that were NOT written by {@code cliprec encode} (no encode
   * manifest), declared by the user: raw view mode (each item's {@code textFields} joined by spaces, one
   * view), fused with {@code fusion}. The models are opened here to record their sha256 and width.
   *
   * @param textModel {@code minilm} (the bundled all-MiniLM-L6-v2), a text model directory, or null to
   *     use the CLIP model's text tower
   * @param clipDir CLIP model directory or null (then {@code textModel} is required)
   * @param textFields catalog fields the features encode, in order (at least one)
   * @param fusion {@code sum}, {@code concat} or {@code attention}
   * @throws IllegalArgumentException naming the option for a missing or unusable model
   */
  public static Map<String, Object> declared(String textModel, Path clipDir, List<String> textFields,
      String fusion) {
    if (textModel == null && clipDir == null) {
      throw new IllegalArgumentException("--text-model or --clip is required");
    }
    if (textFields == null || textFields.isEmpty()) {
      throw new IllegalArgumentException("--text-fields is required: the catalog fields the features encode");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", ENCODE_FORMAT);
    m.put("text_fields", List.copyOf(textFields));
    m.put("views", List.of("raw"));
    m.put("view_mode", "raw");
    m.put("templates", List.of());
    m.put("fusion", fusion);
    m.put("tau", null);
    m.put("long_text", "chunk");
    ClipModel clip = null;
    TextEncoder text = null;
    try {
      if (clipDir != null) {
        if (!Files.isDirectory(clipDir)) {
          throw new IllegalArgumentException("--clip " + clipDir + " is not a directory");
        }
        clip = ClipModel.load(clipDir, 1, 1, 1);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dir", clipDir.toAbsolutePath().normalize().toString());
        c.put("sha256", clip.modelSha256());
        c.put("dim", clip.dim());
        m.put("clip", c);
        m.put("tau", 0.1);
      }
      if (textModel == null) {
        text = clip;
      } else if (textModel.equals("minilm")) {
        text = OnnxTextEncoder.miniLm(1, 1);
      } else {
        Path dir = Path.of(textModel);
        if (!Files.isDirectory(dir)) {
          throw new IllegalArgumentException("--text-model must be 'minilm' or a model directory, got '"
              + textModel + "'");
        }
        text = OnnxTextEncoder.fromDirectory(dir, 0, 1, 1);
      }
      Map<String, Object> te = new LinkedHashMap<>();
      te.put("name", text.name());
      te.put("source", text.modelSource());
      te.put("sha256", text.modelSha256());
      te.put("dim", text.dim());
      m.put("text_encoder", te);
      m.put("max_tokens", text.tokenizer().maxLength());
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("--")) {
        throw e;
      }
      throw new IllegalArgumentException("cannot load the encoder model: " + e.getMessage(), e);
    } finally {
      if (text != null && text != clip) {
        text.close();
      }
      if (clip != null) {
        clip.close();
      }
    }
    Map<String, Object> out = fromManifest(m);
    out.put("source", "declared with 'cliprec bundle --features' (no encode manifest)");
    return out;
  }

  /** Width of the text vectors the encoder of {@code spec} produces (null when unknown). */
  @SuppressWarnings("unchecked")
  public static Integer textDim(Map<String, Object> spec) {
    Object tm = spec.get("text_model");
    Object d = tm instanceof Map ? ((Map<String, Object>) tm).get("dim") : null;
    return d instanceof Number ? ((Number) d).intValue() : null;
  }

  /** Width of the CLIP image vectors of {@code spec} (null without CLIP). */
  @SuppressWarnings("unchecked")
  public static Integer imageDim(Map<String, Object> spec) {
    Object c = spec.get("clip");
    Object d = c instanceof Map ? ((Map<String, Object>) c).get("dim") : null;
    return d instanceof Number ? ((Number) d).intValue() : null;
  }

  /** See {@link #fromFeatures}; {@code m} is a parsed encode manifest. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> fromManifest(Map<String, Object> m) {
    Map<String, Object> te = (Map<String, Object>) m.get("text_encoder");
    Map<String, Object> clip = (Map<String, Object>) m.get("clip");
    if (te == null) {
      throw new IllegalArgumentException("encode manifest has no text_encoder");
    }
    String textSha = String.valueOf(te.get("sha256"));
    boolean fromClip = clip != null && textSha.equals(String.valueOf(clip.get("sha256")));
    Map<String, Object> tm = new LinkedHashMap<>();
    String name = String.valueOf(te.get("name"));
    boolean minilm = !fromClip && "minilm".equals(name);
    tm.put("id", minilm ? "minilm" : null);
    String path = null;
    if (!fromClip && !minilm) {
      Path src = Path.of(String.valueOf(te.get("source"))).toAbsolutePath().normalize();
      Path dir = src.getParent();
      if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("onnx")) {
        dir = dir.getParent();
      }
      path = String.valueOf(dir);
    }
    tm.put("path", path);
    tm.put("sha256", textSha);
    tm.put("dim", te.get("dim"));
    tm.put("max_tokens", m.get("max_tokens"));
    tm.put("from_clip", fromClip);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", clip != null ? "clip" : minilm ? "minilm" : "onnx_text");
    out.put("text_model", tm);
    if (clip != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("path", clip.get("dir"));
      c.put("sha256", clip.get("sha256"));
      c.put("dim", clip.get("dim"));
      out.put("clip", c);
    } else {
      out.put("clip", null);
    }
    List<String> views = new ArrayList<>();
    for (Object o : (List<Object>) m.getOrDefault("views", List.of())) {
      views.add(o.toString());
    }
    String mode = String.valueOf(m.getOrDefault("view_mode", "cliper"));
    out.put("view_mode", mode);
    out.put("views", views);
    boolean global = mode.equals("cliper") && views.contains("global");
    out.put("global_view", global);
    List<Map<String, Object>> tmpl = new ArrayList<>();
    if (mode.equals("cliper")) {
      for (Object o : (List<Object>) m.getOrDefault("templates", List.of())) {
        String s = o.toString();
        int at = s.indexOf(": ");
        if (at < 0) {
          throw new IllegalArgumentException("encode manifest template '" + s + "' is not 'name: template'");
        }
        String n = s.substring(0, at);
        if (global && n.equals("global") && !s.contains("{}")) {
          continue; // the description of the global view, not a field template
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", n);
        t.put("field", n); // cliprec encode names each view after its field
        t.put("template", s.substring(at + 2));
        tmpl.add(t);
      }
    }
    out.put("templates", tmpl);
    out.put("text_fields", m.get("text_fields"));
    out.put("fusion", m.get("fusion"));
    out.put("tau", m.get("tau"));
    out.put("long_text", m.getOrDefault("long_text", "chunk"));
    return out;
  }
}
