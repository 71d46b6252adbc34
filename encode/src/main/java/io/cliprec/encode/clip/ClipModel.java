package io.cliprec.encode.clip;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.EncodeStats;
import io.cliprec.encode.onnx.Onnx;
import io.cliprec.encode.text.HfTokenizer;
import io.cliprec.encode.text.ModelFiles;
import io.cliprec.encode.text.TextBatcher;
import io.cliprec.encode.text.TextEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model exported to ONNX the way HuggingFace {@code optimum} lays it out, in a directory with
 * {@code tokenizer.json}, optional {@code tokenizer_config.json} ({@code model_max_length}) and
 * {@code preprocessor_config.json}:
 *
 * <ul>
 *   <li>joint: {@code model.onnx} with inputs {@code input_ids}, {@code attention_mask},
 *       {@code pixel_values} and outputs {@code text_embeds}, {@code image_embeds} (text-only / image-only
 *       calls feed a one-row dummy for the other tower);
 *   <li>separate: {@code text_model.onnx} ({@code input_ids}[, {@code attention_mask}] &rarr;
 *       {@code text_embeds}) and {@code vision_model.onnx} ({@code pixel_values} &rarr;
 *       {@code image_embeds}); either may also live under {@code onnx/}.
 * </ul>
 * Text and image embeddings are L2-normalised. Not thread-safe for concurrent calls.
 */
public final class ClipModel implements TextEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(ClipModel.class);
  private static final int DEFAULT_MAX_TOKENS = 77;

  private final Path dir;
  private final OrtSession textSession;
  private final OrtSession visionSession;
  private final boolean joint;
  private final HfTokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final long padId;
  private final int dim;
  private final int textBatch;
  private final int imageBatch;
  private final boolean textHasMask;
  private final String sha256;
  private final String source;
  private final EncodeStats stats = new EncodeStats();

  private ClipModel(Path dir, int threads, int textBatch, int imageBatch) {
    this.dir = dir;
    this.textBatch = textBatch;
    this.imageBatch = imageBatch;
    Path jointFile = ModelFiles.findOptional(dir, "model.onnx", "onnx/model.onnx");
    Path textFile = ModelFiles.findOptional(dir, "text_model.onnx", "onnx/text_model.onnx");
    Path visionFile = ModelFiles.findOptional(dir, "vision_model.onnx", "onnx/vision_model.onnx");
    if (textFile != null && visionFile != null) {
      joint = false;
      textSession = Onnx.open(textFile, threads);
      visionSession = Onnx.open(visionFile, threads);
      source = textFile + " + " + visionFile;
      sha256 = Onnx.sha256(textFile) + "+" + Onnx.sha256(visionFile);
    } else if (jointFile != null) {
      joint = true;
      textSession = Onnx.open(jointFile, threads);
      visionSession = textSession;
      source = jointFile.toString();
      sha256 = Onnx.sha256(jointFile);
    } else {
      throw new IllegalArgumentException("CLIP directory " + dir + " has neither model.onnx nor "
          + "text_model.onnx + vision_model.onnx (optimum export layouts)");
    }
    try {
      requireInputs(textSession, "input_ids");
      requireInputs(visionSession, "pixel_values");
      textHasMask = textSession.getInputNames().contains("attention_mask");
      int td = outputDim(textSession, "text_embeds");
      int vd = outputDim(visionSession, "image_embeds");
      if (td != vd) {
        throw new IllegalArgumentException("CLIP " + dir + ": text_embeds width " + td + " != image_embeds " + vd);
      }
      dim = td;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
    ObjectMapper m = new ObjectMapper();
    int maxTokens = DEFAULT_MAX_TOKENS;
    long pad = 0;
    try {
      Path tc = ModelFiles.findOptional(dir, "tokenizer_config.json");
      if (tc != null) {
        long ml = m.readTree(tc.toFile()).path("model_max_length").asLong(DEFAULT_MAX_TOKENS);
        if (ml > 0 && ml < 100_000) {
          maxTokens = (int) ml;
        }
      }
      Path tokFile = ModelFiles.find(dir, "tokenizer.json");
      JsonNode tj = m.readTree(tokFile.toFile());
      if (tj.path("padding").has("pad_id")) {
        pad = tj.path("padding").get("pad_id").asLong();
      }
      tokenizer = HfTokenizer.load(tokFile, maxTokens);
    } catch (IOException e) {
      throw new IllegalArgumentException("CLIP " + dir + ": cannot read tokenizer files: " + e.getMessage(), e);
    }
    padId = pad;
    preprocessor = ImagePreprocessor.load(ModelFiles.find(dir, "preprocessor_config.json"));
    LOG.info("CLIP {} ({}): dim {}, max {} tokens, {}", dir, joint ? "joint model.onnx" : "separate towers", dim,
        maxTokens, preprocessor);
  }

  /**
   * Loads a model directory.
   *
   * @param threads ONNX intra-op threads (0 = default)
   * @param textBatch prompts per session run
   * @param imageBatch images per session run
   */
  public static ClipModel load(Path dir, int threads, int textBatch, int imageBatch) {
    return new ClipModel(dir, threads, textBatch, imageBatch);
  }

  private static void requireInputs(OrtSession s, String... names) throws OrtException {
    for (String n : names) {
      if (!s.getInputNames().contains(n)) {
        throw new IllegalArgumentException("ONNX model has no input '" + n + "' (inputs: " + s.getInputNames() + ")");
      }
    }
  }

  private static int outputDim(OrtSession s, String name) throws OrtException {
    Map<String, NodeInfo> outs = s.getOutputInfo();
    NodeInfo ni = outs.get(name);
    if (ni == null) {
      throw new IllegalArgumentException("ONNX model has no output '" + name + "' (outputs: " + outs.keySet() + ")");
    }
    long[] shape = ((TensorInfo) ni.getInfo()).getShape();
    if (shape.length != 2 || shape[1] <= 0) {
      throw new IllegalArgumentException("output '" + name + "' should be [batch, dim], is "
          + java.util.Arrays.toString(shape));
    }
    return (int) shape[1];
  }

  @Override
  public String name() {
    return "clip:" + dir.getFileName();
  }

  @Override
  public String modelSource() {
    return source;
  }

  @Override
  public String modelSha256() {
    return sha256;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public HfTokenizer tokenizer() {
    return tokenizer;
  }

  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** Whether one {@code model.onnx} holds both towers. */
  public boolean joint() {
    return joint;
  }

  @Override
  public EncodeStats stats() {
    return stats;
  }

  @Override
  public FloatMatrix encode(List<String> texts) {
    return TextBatcher.encode(texts, tokenizer, textBatch, dim, padId, this::runText, stats, name() + " text");
  }

  private float[] runText(long[] ids, long[] mask, long[] types, int b, int len) {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", Onnx.longTensor(ids, b, len));
      if (textHasMask) {
        in.put("attention_mask", Onnx.longTensor(mask, b, len));
      }
      if (joint) {
        in.put("pixel_values", Onnx.floatTensor(new float[preprocessor.size()], 1, 3, preprocessor.height(),
            preprocessor.width()));
      }
      long t0 = System.nanoTime();
      float[] out = run(textSession, in, "text_embeds");
      stats.textInferenceNanos.addAndGet(System.nanoTime() - t0);
      return out;
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Runs the vision tower on preprocessed pixels.
   *
   * @param pixels {@code [b, 3, H, W]}
   * @return {@code [b, dim]} (not normalised)
   */
  float[] runImages(float[] pixels, int b) {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("pixel_values", Onnx.floatTensor(pixels, b, 3, preprocessor.height(), preprocessor.width()));
      if (joint) {
        in.put("input_ids", Onnx.longTensor(new long[] {0, 0}, 1, 2));
        if (textHasMask) {
          in.put("attention_mask", Onnx.longTensor(new long[] {1, 1}, 1, 2));
        }
      }
      long t0 = System.nanoTime();
      float[] out = run(visionSession, in, "image_embeds");
      stats.imageInferenceNanos.addAndGet(System.nanoTime() - t0);
      return out;
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] run(OrtSession s, Map<String, OnnxTensor> in, String output) {
    return Onnx.runFloat(s, in, output, null);
  }

  /**
   * Encodes one already decoded image (e.g. from request bytes) with the same preprocessing and vision
   * tower as {@link #encodeImages}. Not thread-safe (serialize calls, like every other call here).
   *
   * @return {@code [dim()]} L2-normalised embedding
   */
  public float[] encodeImage(BufferedImage img) {
    if (img.getWidth() < 1 || img.getHeight() < 1) {
      throw new IllegalArgumentException("empty image");
    }
    float[] px = new float[preprocessor.size()];
    preprocessor.process(img, px, 0);
    float[] out = runImages(px, 1);
    TextBatcher.normalizeRows(out, dim);
    return out;
  }

  /**
   * Encodes images with decoding and preprocessing on {@code decodeThreads} threads, overlapped with
   * inference; failures are reported per item and never abort.
   *
   * @param sources image file of each item (null = none found)
   */
  public ImageEmbeddings encodeImages(List<Path> sources, int decodeThreads) {
    return ImageBatcher.encode(this, sources, imageBatch, decodeThreads, stats);
  }

  @Override
  public void close() {
    tokenizer.close();
    try {
      textSession.close();
      if (!joint) {
        visionSession.close();
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
