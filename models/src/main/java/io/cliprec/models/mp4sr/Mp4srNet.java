package io.cliprec.models.mp4sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.config.Config;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.seq.SasRecNet;
import io.cliprec.models.train.FlatParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The MP4SR network (lzz0007/MP4SR {@code mp4sr.py}) for two modalities, {@link #TEXT} and
 * {@link #IMAGE}:
 *
 * <pre>
 *   pooled_m  = sum_k softmax_k(w2 · relu(W1 x_k + b1) + b2) x_k      item vectors [n, k, in] → [n, in]
 *   MoE_m(x)  = sum_e softmax(x W_gate)_e · LayerNorm_e(dropout_e(W_e x + b_e))    [.., in] → [.., d]
 *   seq view  = SASRec blocks(MoE_m(pooled_m[ids]) (+ E_id[ids] when fine-tuning) + positions)
 * </pre>
 *
 * The attention pooling is RecBole's {@code VanillaAttention(in, d)}; with one vector per item it is the
 * identity. The reference copies the pooled vectors into a frozen embedding's {@code .data}, so its
 * attention layer never trains; here the pooled table stays in the autograd graph ({@code attn_detach:
 * true} reproduces the reference). Vectors that are all zero (padding) are masked out of the softmax
 * ({@code attn_mask_padding}; the reference gives them a share of the weight). Expert layers are
 * MP4SR's {@code ExpertLayer} (Linear → dropout → LayerNorm eps 1e-12), the gate is a zero-initialised
 * {@code [in, n_exps]} matrix with a softmax (no noise, as the reference's {@code top_k_gating}).
 *
 * <p>The encoder is a {@link SasRecNet} (its {@code item_embeddings} table is the fine-tuning ID
 * embedding; frozen and unused in pre-training); its inputs come through
 * {@link SasRecNet#encodeInputs}. The adaptor parameters live in one {@link FlatParams}. Sequences are
 * left-padded with the last item at the last position (SasRecNet's layout).
 */
public final class Mp4srNet {
  public static final int TEXT = 0;
  public static final int IMAGE = 1;
  /** Modality names in index order. */
  public static final List<String> MODALITIES = List.of("text", "image");
  static final String FORMAT = "cliprec-mp4sr-pretrained";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final float MASKED = -1e9f;

  private final SasRecNet enc;
  private final FlatParams adaptor = new FlatParams();
  private final ModalityInput[] inputs;
  private final int hidden;
  private final int experts;
  private final float adaptorDropout;
  private final boolean attnDetach;
  private final boolean attnMaskPadding;
  private final int[] attnW1 = new int[2];
  private final int[] gate = new int[2];
  private final int[][] expertW = new int[2][];

  /**
   * @param numItems items of the dataset (model ids 1..numItems, 0 = padding)
   * @param inputs text and image vectors, each {@code [numItems, k, in]}
   * @param cfg {@code hidden_size, n_heads, inner_size, n_layers, max_seq_length, hidden_dropout_prob,
   *     attn_dropout_prob, n_exps, adaptor_dropout_prob, attn_detach, attn_mask_padding}
   */
  public Mp4srNet(int numItems, ModalityInput[] inputs, Config cfg) {
    if (inputs.length != 2) {
      throw new IllegalArgumentException("MP4SR needs two modalities (text, image)");
    }
    for (ModalityInput in : inputs) {
      if (in.numItems() != numItems) {
        throw new IllegalArgumentException(in.name() + " features have " + in.numItems() + " rows, dataset "
            + numItems + " items");
      }
    }
    this.inputs = inputs.clone();
    this.hidden = cfg.getInt("hidden_size");
    this.experts = cfg.getInt("n_exps");
    this.adaptorDropout = (float) cfg.getDouble("adaptor_dropout_prob");
    this.attnDetach = cfg.getBoolean("attn_detach", false);
    this.attnMaskPadding = cfg.getBoolean("attn_mask_padding", true);
    if (experts < 1) {
      throw new IllegalArgumentException("n_exps must be >= 1, got " + experts);
    }
    this.enc = new SasRecNet(numItems, hidden, cfg.getInt("n_heads"), cfg.getInt("inner_size"),
        cfg.getInt("n_layers"), cfg.getInt("max_seq_length"), cfg.getDouble("hidden_dropout_prob"),
        cfg.getDouble("attn_dropout_prob"));
    for (int mod = 0; mod < 2; mod++) {
      String pre = MODALITIES.get(mod) + ".";
      int in = inputs[mod].dim();
      attnW1[mod] = adaptor.add(pre + "attn.w1", new Shape(hidden, in));
      adaptor.add(pre + "attn.b1", new Shape(hidden));
      adaptor.add(pre + "attn.w2", new Shape(1, hidden));
      adaptor.add(pre + "attn.b2", new Shape(1));
      gate[mod] = adaptor.add(pre + "moe.gate", new Shape(in, experts));
      expertW[mod] = new int[experts];
      for (int e = 0; e < experts; e++) {
        String ep = pre + "moe.expert" + e + ".";
        expertW[mod][e] = adaptor.add(ep + "weight", new Shape(hidden, in));
        adaptor.add(ep + "bias", new Shape(hidden));
        adaptor.add(ep + "ln.weight", new Shape(hidden));
        adaptor.add(ep + "ln.bias", new Shape(hidden));
      }
    }
    adaptor.params();
  }

  /**
   * Initialises every parameter: the encoder as RecBole's SASRec (N(0, 0.02), zero biases, LayerNorm
   * (1, 0)); expert weights N(0, 0.02) with torch's default bias U(±1/√in); the gate zeros; the
   * attention layers torch's default Linear init U(±1/√fan_in).
   */
  public void init(long seed) {
    enc.init(seed);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] v = adaptor.params();
    for (int t = 0; t < adaptor.count(); t++) {
      String n = adaptor.name(t);
      int off = adaptor.offset(t);
      int size = adaptor.length(t);
      for (int k = 0; k < size; k++) {
        float x;
        if (n.endsWith("ln.weight")) {
          x = 1f;
        } else if (n.endsWith("ln.bias") || n.endsWith("moe.gate")) {
          x = 0f;
        } else if (n.contains(".moe.expert") && n.endsWith(".weight")) {
          x = (float) (gaussian(rng) * 0.02);
        } else {
          double bound = 1.0 / Math.sqrt(fanInOf(t));
          x = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        v[off + k] = x;
      }
    }
  }

  /** Input width of the Linear layer that tensor {@code t} (a weight or bias) belongs to. */
  private long fanInOf(int t) {
    String n = adaptor.name(t);
    if (n.endsWith(".bias") || n.endsWith(".b1") || n.endsWith(".b2")) {
      String w = n.endsWith(".b1") ? n.replace(".b1", ".w1") : n.endsWith(".b2") ? n.replace(".b2", ".w2")
          : n.substring(0, n.length() - "bias".length()) + "weight";
      return adaptor.shape(adaptor.index(w)).get(1);
    }
    return adaptor.shape(t).get(1);
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  public SasRecNet encoder() {
    return enc;
  }

  public FlatParams adaptor() {
    return adaptor;
  }

  public int hidden() {
    return hidden;
  }

  public int numItems() {
    return enc.numItems();
  }

  public ModalityInput input(int mod) {
    return inputs[mod];
  }

  /** One forward pass's parameters and pooled feature tables in manager {@code m}. */
  public Pass pass(NDManager m, boolean grad, boolean train) {
    return new Pass(m, grad, train);
  }

  /** The graph of one step: leaves, pooled tables (computed once), and the building blocks. */
  public final class Pass {
    private final NDManager m;
    private final boolean train;
    /** Encoder leaves ({@link SasRecNet#leaves}). */
    public final NDArray[] p;
    /** Adaptor leaves ({@link FlatParams#leaves}). */
    public final NDArray[] q;
    private final NDArray[] pooled = new NDArray[2];

    Pass(NDManager m, boolean grad, boolean train) {
      this.m = m;
      this.train = train;
      this.p = enc.leaves(m, grad);
      this.q = adaptor.leaves(m, grad);
    }

    /** Attention-pooled raw vectors with a zero padding row: {@code [numItems + 1, in]}. */
    public NDArray pooled(int mod) {
      if (pooled[mod] == null) {
        ModalityInput in = inputs[mod];
        int n = in.numItems();
        NDArray x = m.create(in.data(), new Shape(n, in.k(), in.dim()));
        NDArray out;
        if (in.k() == 1) {
          out = x.reshape(n, in.dim());
        } else {
          int w1 = attnW1[mod];
          NDArray e = Activation.relu(Linear.linear(x, q[w1], q[w1 + 1]).singletonOrThrow());
          e = Linear.linear(e, q[w1 + 2], q[w1 + 3]).singletonOrThrow().reshape(n, in.k());
          if (attnMaskPadding) {
            float[] add = new float[n * in.k()];
            for (int i = 0; i < add.length; i++) {
              add[i] = in.present()[i] > 0 ? 0f : MASKED;
            }
            e = e.add(m.create(add, new Shape(n, in.k())));
          }
          NDArray w = e.softmax(-1);
          out = x.mul(w.expandDims(2)).sum(new int[] {1});
          if (attnDetach) {
            out = out.stopGradient();
          }
        }
        pooled[mod] = m.zeros(new Shape(1, in.dim())).concat(out, 0);
      }
      return pooled[mod];
    }

    /** The MoE adaptor of modality {@code mod} on {@code x} {@code [N, in]}: {@code [N, d]}. */
    public NDArray moe(int mod, NDArray x) {
      NDArray gates = x.matMul(q[gate[mod]]).softmax(-1);
      NDArray out = null;
      for (int e = 0; e < experts; e++) {
        int w = expertW[mod][e];
        NDArray y = Linear.linear(x, q[w], q[w + 1]).singletonOrThrow();
        if (train && adaptorDropout > 0) {
          y = Dropout.dropout(y, adaptorDropout, true).singletonOrThrow();
        }
        y = LayerNorm.layerNorm(y, new Shape(hidden), q[w + 2], q[w + 3], 1e-12f).singletonOrThrow();
        y = y.mul(gates.get(":, " + e + ":" + (e + 1)));
        out = out == null ? y : out.add(y);
      }
      return out;
    }

    /**
     * Adapted vectors of the items {@code ids} (model ids, any shape flattened): {@code [ids, d]}. The
     * adaptor runs on the real positions only; padding positions get zero vectors (the reference feeds
     * them MoE(0), but padded keys are masked, so no real position's output depends on them).
     */
    public NDArray itemsAt(int mod, int[] ids) {
      int real = 0;
      for (int id : ids) {
        real += id > 0 ? 1 : 0;
      }
      if (real == ids.length) {
        return moe(mod, gather(pooled(mod), ids));
      }
      int[] realIds = new int[real];
      int[] map = new int[ids.length];
      int k = 0;
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] > 0) {
          realIds[k] = ids[i];
          map[i] = ++k;
        }
      }
      NDArray table = m.zeros(new Shape(1, hidden));
      if (real > 0) {
        table = table.concat(moe(mod, gather(pooled(mod), realIds)), 0);
      }
      return gather(table, map);
    }

    private NDArray gather(NDArray table, int[] rows) {
      return Embedding.embedding(m.create(rows), table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Adapted vectors of every item, padding row first: {@code [numItems + 1, d]}. */
    public NDArray items(int mod) {
      return moe(mod, pooled(mod));
    }

    /** The ID table {@code [numItems + 1, d]}. */
    public NDArray idTable() {
      return p[SasRecNet.ITEM_EMB];
    }

    /**
     * Encoder state at the last position.
     *
     * @param x input vectors {@code [B * len, d]} or {@code [B, len, d]}
     * @param ids {@code [B * len]} left-padded model ids
     * @param withId add the ID embedding of {@code ids} to the input (fine-tuning)
     * @return {@code [B, d]}
     */
    public NDArray encodeLast(NDArray x, int[] ids, int batch, int len, boolean withId) {
      NDArray in = x.reshape(batch, len, hidden);
      if (withId) {
        in = in.add(Embedding.embedding(m.create(ids, new Shape(batch, len)), idTable(),
            SparseFormat.DENSE).singletonOrThrow());
      }
      NDArray h = enc.encodeInputs(m, p, in, ids, batch, len, train);
      return h.get(":, -1, :");
    }
  }

  /**
   * Writes the pre-trained weights: {@code encoder.npy} (flat {@link SasRecNet#params()}),
   * {@code adaptor.npy} (flat {@link FlatParams#params()}) and {@code mp4sr.json} (format, tensor
   * names and shapes, config, extra provenance).
   */
  public void save(Path dir, Config cfg, Map<String, Object> extra) throws IOException {
    Files.createDirectories(dir);
    Npy.write(dir.resolve("encoder.npy"), new int[] {enc.params().length}, enc.params());
    Npy.write(dir.resolve("adaptor.npy"), new int[] {adaptor.params().length}, adaptor.params());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("encoder_tensors", tensors(enc.names(), enc::shape));
    meta.put("adaptor_tensors", tensors(adaptor.names(), adaptor::shape));
    meta.put("config", cfg.asMap());
    meta.putAll(extra);
    AtomicFiles.writeString(dir.resolve("mp4sr.json"), JSON.writeValueAsString(meta));
  }

  private static List<Object> tensors(List<String> names, java.util.function.IntFunction<Shape> shape) {
    List<Object> out = new ArrayList<>();
    for (int t = 0; t < names.size(); t++) {
      out.add(List.of(names.get(t), shape.apply(t).toString()));
    }
    return out;
  }

  /** Whether {@code dir} holds weights written by {@link #save}. */
  public static boolean isPretrained(Path dir) {
    return Files.isRegularFile(dir.resolve("mp4sr.json"));
  }

  /**
   * Loads pre-trained weights from {@link #save}'s directory: every encoder tensor except the ID table
   * (as the reference: pre-training has no ID embedding) and every adaptor tensor, matched by name and
   * shape. The ID table keeps its initialisation, so the item count may differ (transfer).
   *
   * @return names of the loaded tensors
   */
  @SuppressWarnings("unchecked")
  public List<String> loadPretrained(Path dir) throws IOException {
    Path meta = dir.resolve("mp4sr.json");
    if (!Files.isRegularFile(meta)) {
      throw new IllegalArgumentException("pretrained: " + dir + " has no mp4sr.json (run 'cliprec pretrain"
          + " mp4sr --out DIR' first)");
    }
    Map<String, Object> j = JSON.readValue(meta.toFile(), Map.class);
    if (!FORMAT.equals(j.get("format"))) {
      throw new IllegalArgumentException("pretrained: " + meta + " is not " + FORMAT);
    }
    List<String> loaded = new ArrayList<>();
    copy((List<Object>) j.get("encoder_tensors"), Npy.read(dir.resolve("encoder.npy")).data(),
        enc.names(), enc::shape, enc::offset, enc.params(), SasRecNet.ITEM_EMB, loaded, dir);
    copy((List<Object>) j.get("adaptor_tensors"), Npy.read(dir.resolve("adaptor.npy")).data(),
        adaptor.names(), adaptor::shape, adaptor::offset, adaptor.params(), -1, loaded, dir);
    return loaded;
  }

  @SuppressWarnings("unchecked")
  private static void copy(List<Object> saved, float[] src, List<String> names,
      java.util.function.IntFunction<Shape> shape, java.util.function.IntUnaryOperator offset, float[] dst,
      int skip, List<String> loaded, Path dir) {
    int off = 0;
    for (Object o : saved) {
      List<Object> t = (List<Object>) o;
      String name = (String) t.get(0);
      String sh = (String) t.get(1);
      int idx = names.indexOf(name);
      Shape mine = idx < 0 ? null : shape.apply(idx);
      int size = Math.toIntExact(parseSize(sh));
      if (idx >= 0 && idx != skip) {
        if (!mine.toString().equals(sh)) {
          throw new IllegalArgumentException("pretrained: " + dir + ": tensor " + name + " is " + sh
              + " but the model has " + mine + " (hidden_size, n_layers, feature widths must match)");
        }
        System.arraycopy(src, off, dst, offset.applyAsInt(idx), size);
        loaded.add(name);
      }
      off += size;
    }
  }

  private static long parseSize(String shape) {
    String s = shape.replaceAll("[()\\s]", "");
    long n = 1;
    for (String part : s.split(",")) {
      if (!part.isEmpty()) {
        n *= Long.parseLong(part);
      }
    }
    return n;
  }
}
