package io.cliprec.encode.clip;

import static io.cliprec.encode.onnx.OnnxGraphBuilder.FLOAT;
import static io.cliprec.encode.onnx.OnnxGraphBuilder.INT64;
import static io.cliprec.encode.onnx.OnnxGraphBuilder.attrInt;
import static io.cliprec.encode.onnx.OnnxGraphBuilder.attrInts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cliprec.encode.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a tiny CLIP-layout model directory with random weights, laid out like an {@code optimum}
 * export, for tests and throughput measurements (never committed: generated into a temp directory).
 *
 * <ul>
 *   <li>text tower: token embedding {@code [vocab, 64]} &rarr; masked mean &rarr; tanh &rarr; projection
 *       {@code [64, 32]} = {@code text_embeds [B, 32]};
 *   <li>vision tower: 16&times;16/16 patch convolution to 32 channels &rarr; ReLU &rarr; spatial mean &rarr;
 *       projection {@code [32, 32]} = {@code image_embeds [B, 32]} from {@code pixel_values [B, 3, 224, 224]};
 *   <li>{@code tokenizer.json}: a WordPiece tokenizer over single characters ({@code [CLS] ... [SEP]}),
 *       {@code tokenizer_config.json} with {@code model_max_length} 77, and CLIP's
 *       {@code preprocessor_config.json} (shortest edge 224 bicubic, center crop 224, CLIP mean/std).
 * </ul>
 */
public final class TinyClip {
  public static final int EMBED = 64;
  public static final int DIM = 32;
  public static final int CHANNELS = 32;
  public static final int PATCH = 16;
  public static final int SIZE = 224;

  private TinyClip() {}

  /** Layouts of the generated ONNX files. */
  public enum Layout {
    /** One {@code model.onnx} with both towers. */
    JOINT,
    /** {@code text_model.onnx} and {@code vision_model.onnx}. */
    SEPARATE
  }

  /** {@code TinyClip DIR [joint|separate] [seed] [heavyLayers]}: writes a model directory (for benchmarks and demos). */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "tiny-clip");
    Layout layout = args.length > 1 ? Layout.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)) : Layout.JOINT;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    int heavy = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    System.out.println("wrote " + write(dir, layout, seed, heavy));
  }

  /** Writes the model directory (created if needed) and returns it. */
  public static Path write(Path dir, Layout layout, long seed) {
    return write(dir, layout, seed, 0);
  }

  /**
   * Like {@link #write(Path, Layout, long)}, but with {@code heavyLayers > 0} the vision tower costs about
   * as much as a real ViT-B/32 (for throughput measurements): 32&times;32 patches to 768 channels (49
   * tokens), then {@code heavyLayers} residual MLP blocks {@code h + relu(h W1) W2} with W1 {@code [768, 3072]},
   * W2 {@code [3072, 768]} shared by all blocks (so the file stays ~40 MB), mean over tokens, projection.
   * 12 layers &asymp; 5.5 GFLOP per image (ViT-B/32: 4.4).
   */
  public static Path write(Path dir, Layout layout, long seed, int heavyLayers) {
    try {
      Files.createDirectories(dir);
      List<String> vocab = vocabulary();
      SplittableRandom rnd = new SplittableRandom(seed);
      float[] emb = gaussian(rnd, vocab.size() * EMBED, 1.0);
      float[] wt = gaussian(rnd, EMBED * DIM, 1.0 / Math.sqrt(EMBED));
      float[] wc = gaussian(rnd, CHANNELS * 3 * PATCH * PATCH, 1.0 / Math.sqrt(3 * PATCH * PATCH));
      float[] bc = gaussian(rnd, CHANNELS, 0.1);
      float[] wv = gaussian(rnd, CHANNELS * DIM, 1.0 / Math.sqrt(CHANNELS));
      if (layout == Layout.JOINT) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_clip");
        textTower(g, vocab.size(), emb, wt);
        vision(g, rnd, wc, bc, wv, heavyLayers);
        Files.write(dir.resolve("model.onnx"), g.build());
      } else {
        OnnxGraphBuilder t = new OnnxGraphBuilder("tiny_clip_text");
        textTower(t, vocab.size(), emb, wt);
        Files.write(dir.resolve("text_model.onnx"), t.build());
        OnnxGraphBuilder v = new OnnxGraphBuilder("tiny_clip_vision");
        vision(v, rnd, wc, bc, wv, heavyLayers);
        Files.write(dir.resolve("vision_model.onnx"), v.build());
      }
      ObjectMapper m = new ObjectMapper();
      m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson(m, vocab));
      ObjectNode tc = m.createObjectNode();
      tc.put("model_max_length", 77);
      m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
      m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(),
          preprocessor(m));
      ObjectNode cfg = m.createObjectNode();
      cfg.put("model_type", "clip");
      cfg.put("projection_dim", DIM);
      cfg.put("_generated_by", "io.cliprec.encode.clip.TinyClip (random weights, seed " + seed + ")");
      m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny CLIP model to " + dir, e);
    }
  }

  private static void textTower(OnnxGraphBuilder g, int vocab, float[] emb, float[] wt) {
    g.input("input_ids", INT64, "text_batch_size", "sequence_length");
    g.input("attention_mask", INT64, "text_batch_size", "sequence_length");
    g.floatInit("token_embedding", emb, vocab, EMBED);
    g.floatInit("text_projection", wt, EMBED, DIM);
    g.longInit("axis2", new long[] {2}, 1);
    g.longInit("axis1", new long[] {1}, 1);
    String x = g.node("Gather", new String[] {"token_embedding", "input_ids"}, "tok_emb", attrInt("axis", 0));
    String mf = g.node("Cast", new String[] {"attention_mask"}, "mask_f", attrInt("to", FLOAT));
    String m3 = g.node("Unsqueeze", new String[] {mf, "axis2"}, "mask_3d");
    String xm = g.node("Mul", new String[] {x, m3}, "masked");
    String s = g.node("ReduceSum", new String[] {xm, "axis1"}, "summed", attrInt("keepdims", 0));
    String c = g.node("ReduceSum", new String[] {m3, "axis1"}, "count", attrInt("keepdims", 0));
    String mean = g.node("Div", new String[] {s, c}, "mean");
    String h = g.node("Tanh", new String[] {mean}, "pooled");
    g.node("MatMul", new String[] {h, "text_projection"}, "text_embeds");
    g.output("text_embeds", FLOAT, "text_batch_size", (long) DIM);
  }

  private static void vision(OnnxGraphBuilder g, SplittableRandom rnd, float[] wc, float[] bc, float[] wv,
      int heavyLayers) {
    if (heavyLayers <= 0) {
      visionTower(g, wc, bc, wv);
      return;
    }
    final int width = 768;
    final int hidden = 3072;
    final int patch = 32;
    g.input("pixel_values", FLOAT, "image_batch_size", 3L, (long) SIZE, (long) SIZE);
    g.floatInit("patch_weight", gaussian(rnd, width * 3 * patch * patch, 1.0 / Math.sqrt(3 * patch * patch)),
        width, 3, patch, patch);
    g.floatInit("w1", gaussian(rnd, width * hidden, 1.0 / Math.sqrt(width)), width, hidden);
    g.floatInit("w2", gaussian(rnd, hidden * width, 0.2 / Math.sqrt(hidden)), hidden, width);
    g.floatInit("visual_projection", gaussian(rnd, width * DIM, 1.0 / Math.sqrt(width)), width, DIM);
    g.longInit("tokens_shape", new long[] {0, width, -1}, 3);
    String c = g.node("Conv", new String[] {"pixel_values", "patch_weight"}, "patches",
        attrInts("kernel_shape", patch, patch), attrInts("strides", patch, patch));
    String r = g.node("Reshape", new String[] {c, "tokens_shape"}, "patch_tokens_cf");
    String h = g.node("Transpose", new String[] {r}, "tokens_0", attrInts("perm", 0, 2, 1));
    for (int l = 0; l < heavyLayers; l++) {
      String a = g.node("MatMul", new String[] {h, "w1"}, "mlp_in_" + l);
      String act = g.node("Relu", new String[] {a}, "mlp_act_" + l);
      String b = g.node("MatMul", new String[] {act, "w2"}, "mlp_out_" + l);
      h = g.node("Add", new String[] {h, b}, "tokens_" + (l + 1));
    }
    String p = g.node("ReduceMean", new String[] {h}, "image_pooled", attrInts("axes", 1), attrInt("keepdims", 0));
    g.node("MatMul", new String[] {p, "visual_projection"}, "image_embeds");
    g.output("image_embeds", FLOAT, "image_batch_size", (long) DIM);
  }

  private static void visionTower(OnnxGraphBuilder g, float[] wc, float[] bc, float[] wv) {
    g.input("pixel_values", FLOAT, "image_batch_size", 3L, (long) SIZE, (long) SIZE);
    g.floatInit("patch_weight", wc, CHANNELS, 3, PATCH, PATCH);
    g.floatInit("patch_bias", bc, CHANNELS);
    g.floatInit("visual_projection", wv, CHANNELS, DIM);
    String c = g.node("Conv", new String[] {"pixel_values", "patch_weight", "patch_bias"}, "patches",
        attrInts("kernel_shape", PATCH, PATCH), attrInts("strides", PATCH, PATCH));
    String r = g.node("Relu", new String[] {c}, "patches_relu");
    String p = g.node("ReduceMean", new String[] {r}, "image_pooled", attrInts("axes", 2, 3),
        attrInt("keepdims", 0));
    g.node("MatMul", new String[] {p, "visual_projection"}, "image_embeds");
    g.output("image_embeds", FLOAT, "image_batch_size", (long) DIM);
  }

  private static float[] gaussian(SplittableRandom r, int n, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i += 2) {
      double u1 = Math.max(r.nextDouble(), 1e-12);
      double u2 = r.nextDouble();
      double rad = Math.sqrt(-2 * Math.log(u1));
      a[i] = (float) (std * rad * Math.cos(2 * Math.PI * u2));
      if (i + 1 < n) {
        a[i + 1] = (float) (std * rad * Math.sin(2 * Math.PI * u2));
      }
    }
    return a;
  }

  /** [PAD], [UNK], [CLS], [SEP], then characters and their {@code ##} continuations. */
  static List<String> vocabulary() {
    List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]"));
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    String punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    for (char ch : chars.toCharArray()) {
      v.add(String.valueOf(ch));
    }
    for (char ch : chars.toCharArray()) {
      v.add("##" + ch);
    }
    for (char ch : punct.toCharArray()) {
      v.add(String.valueOf(ch));
    }
    return v;
  }

  private static ObjectNode tokenizerJson(ObjectMapper m, List<String> vocab) {
    ObjectNode root = m.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < 4; i++) {
      ObjectNode t = added.addObject();
      t.put("id", i);
      t.put("content", vocab.get(i));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    ObjectNode norm = root.putObject("normalizer");
    norm.put("type", "BertNormalizer");
    norm.put("clean_text", true);
    norm.put("handle_chinese_chars", true);
    norm.put("strip_accents", true);
    norm.put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
    ObjectNode sp = post.putObject("special_tokens");
    for (String[] t : new String[][] {{"[CLS]", "2"}, {"[SEP]", "3"}}) {
      ObjectNode o = sp.putObject(t[0]);
      o.put("id", t[0]);
      o.putArray("ids").add(Integer.parseInt(t[1]));
      o.putArray("tokens").add(t[0]);
    }
    ObjectNode dec = root.putObject("decoder");
    dec.put("type", "WordPiece");
    dec.put("prefix", "##");
    dec.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode vo = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      vo.put(vocab.get(i), i);
    }
    return root;
  }

  private static ObjectNode preprocessor(ObjectMapper m) {
    ObjectNode p = m.createObjectNode();
    p.put("image_processor_type", "CLIPImageProcessor");
    p.put("do_resize", true);
    p.putObject("size").put("shortest_edge", SIZE);
    p.put("resample", 3);
    p.put("do_center_crop", true);
    p.putObject("crop_size").put("height", SIZE).put("width", SIZE);
    p.put("do_rescale", true);
    p.put("rescale_factor", 1.0 / 255);
    p.put("do_normalize", true);
    p.putArray("image_mean").add(0.48145466).add(0.4578275).add(0.40821073);
    p.putArray("image_std").add(0.26862954).add(0.26130258).add(0.27577711);
    p.put("do_convert_rgb", true);
    return p;
  }
}
