package io.cliprec.models.seq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import io.cliprec.models.train.NdScalars;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SASRec exactly as S3-Rec's {@code S3RecModel.finetune} (aHuiWang/CIKM2020-S3Rec {@code modules.py}):
 *
 * <pre>
 *   x = Dropout_h(LayerNorm(E_item[ids] + E_pos[0..L)))                     [B, L, d]
 *   per layer:  a = softmax(Q K^T / sqrt(d/h) + mask)  (mask: -10000 for padded keys and the future)
 *               x = LayerNorm(x + Dropout_h(W_o · concat_heads(Dropout_a(a) V)))
 *               x = LayerNorm(x + Dropout_h(W_2 · gelu_erf(W_1 x + b_1) + b_2))
 * </pre>
 *
 * LayerNorm eps 1e-12; init: every Linear weight and embedding ~ N(0, 0.02), biases 0, LayerNorm (1, 0).
 * Item ids: 0 = padding, 1..numItems = item index + 1 (the item table has numItems + 1 rows).
 *
 * <p>All parameters live in one flat float32 array {@link #params()} (layout: {@link #names()} with
 * {@link #offset}/{@link #shape}); each training step wraps them as fresh autograd leaves
 * ({@link #leaves}), runs {@link #encode}, and reads the gradients back with {@link #gradients}, so the
 * Java-side Adam owns the state. Not thread-safe.
 */
public final class SasRecNet {
  /** Index of the item embedding table in {@link #names()}. */
  public static final int ITEM_EMB = 0;
  private static final int POS_EMB = 1;
  private static final int EMB_LN_W = 2;
  private static final int EMB_LN_B = 3;
  private static final int PER_LAYER = 16;
  static final float LN_EPS = 1e-12f;

  private final int numItems;
  private final int hidden;
  private final int heads;
  private final int inner;
  private final int layers;
  private final int maxLen;
  private final float hiddenDropout;
  private final float attnDropout;
  private final List<String> names = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Integer> offsets = new ArrayList<>();
  private final float[] params;
  private final int numPlugins;
  /** Per plug-in: index of its table (or projection input), weight and bias tensors (-1: no projection). */
  private final int[] pluginTable;
  private final int[] pluginWeight;
  private final boolean[] frozen;
  private boolean pluginInOutput = true;

  /** As below with no plug-in tables. */
  public SasRecNet(int numItems, int hidden, int heads, int inner, int layers, int maxLen,
      double hiddenDropout, double attnDropout) {
    this(numItems, hidden, heads, inner, layers, maxLen, hiddenDropout, attnDropout, 0);
  }

  /** As below with {@code numPlugins} plain {@code [numItems + 1, d]} tables. */
  public SasRecNet(int numItems, int hidden, int heads, int inner, int layers, int maxLen,
      double hiddenDropout, double attnDropout, int numPlugins) {
    this(numItems, hidden, heads, inner, layers, maxLen, hiddenDropout, attnDropout, new int[numPlugins]);
  }

  /**
   * @param numItems number of items (the table gets one more row for padding)
   * @param hidden hidden size d
   * @param heads attention heads (must divide d)
   * @param inner feed-forward inner size (S3-Rec: 4 d)
   * @param layers transformer blocks
   * @param maxLen sequence length L (learned positions)
   * @param hiddenDropout dropout on embeddings and block outputs
   * @param attnDropout dropout on attention probabilities
   * @param pluginInputs one entry per extra item table added to the ID table (CPMM {@code SR/sasrec.py}'s
   *     {@code image_embedding}, {@code text_embedding}): 0 = a table {@code [numItems + 1, d]}; f &gt; 0 =
   *     a frozen input {@code [numItems + 1, f]} through a trainable linear map {@code plugin<k>.weight
   *     [d, f]} (N(0, 0.02), as every S3-Rec Linear) and {@code plugin<k>.bias [d]} (zero), for features
   *     whose width is not d. Fill tables and inputs with {@link #setTable}.
   */
  public SasRecNet(int numItems, int hidden, int heads, int inner, int layers, int maxLen,
      double hiddenDropout, double attnDropout, int[] pluginInputs) {
    int numPlugins = pluginInputs.length;
    if (hidden % heads != 0) {
      throw new IllegalArgumentException("hidden_size " + hidden + " is not a multiple of n_heads " + heads);
    }
    if (numItems <= 0 || hidden <= 0 || inner <= 0 || layers < 0 || maxLen <= 0) {
      throw new IllegalArgumentException("SASRec sizes must be positive");
    }
    this.numItems = numItems;
    this.hidden = hidden;
    this.heads = heads;
    this.inner = inner;
    this.layers = layers;
    this.maxLen = maxLen;
    this.hiddenDropout = (float) hiddenDropout;
    this.attnDropout = (float) attnDropout;
    int off = 0;
    off = add("item_embeddings", new Shape(numItems + 1, hidden), off);
    off = add("position_embeddings", new Shape(maxLen, hidden), off);
    off = add("emb_ln.weight", new Shape(hidden), off);
    off = add("emb_ln.bias", new Shape(hidden), off);
    for (int l = 0; l < layers; l++) {
      String p = "layer" + l + ".";
      off = add(p + "query.weight", new Shape(hidden, hidden), off);
      off = add(p + "query.bias", new Shape(hidden), off);
      off = add(p + "key.weight", new Shape(hidden, hidden), off);
      off = add(p + "key.bias", new Shape(hidden), off);
      off = add(p + "value.weight", new Shape(hidden, hidden), off);
      off = add(p + "value.bias", new Shape(hidden), off);
      off = add(p + "dense.weight", new Shape(hidden, hidden), off);
      off = add(p + "dense.bias", new Shape(hidden), off);
      off = add(p + "attn_ln.weight", new Shape(hidden), off);
      off = add(p + "attn_ln.bias", new Shape(hidden), off);
      off = add(p + "dense_1.weight", new Shape(inner, hidden), off);
      off = add(p + "dense_1.bias", new Shape(inner), off);
      off = add(p + "dense_2.weight", new Shape(hidden, inner), off);
      off = add(p + "dense_2.bias", new Shape(hidden), off);
      off = add(p + "ffn_ln.weight", new Shape(hidden), off);
      off = add(p + "ffn_ln.bias", new Shape(hidden), off);
    }
    this.pluginTable = new int[numPlugins];
    this.pluginWeight = new int[numPlugins];
    for (int k = 0; k < numPlugins; k++) {
      pluginWeight[k] = -1;
      pluginTable[k] = names.size();
      if (pluginInputs[k] <= 0) {
        off = add("plugin" + k, new Shape(numItems + 1, hidden), off);
      } else {
        off = add("plugin" + k + ".input", new Shape(numItems + 1, pluginInputs[k]), off);
        pluginWeight[k] = names.size();
        off = add("plugin" + k + ".weight", new Shape(hidden, pluginInputs[k]), off);
        off = add("plugin" + k + ".bias", new Shape(hidden), off);
      }
    }
    this.numPlugins = numPlugins;
    this.frozen = new boolean[names.size()];
    for (int k = 0; k < numPlugins; k++) {
      if (pluginWeight[k] >= 0) {
        frozen[pluginTable[k]] = true; // the raw features themselves are constants
      }
    }
    this.params = new float[off];
  }

  /** Index of plug-in table {@code k} (or its projection input) in {@link #names()}. */
  public int pluginTensor(int k) {
    return pluginTable[k];
  }

  /** Whether plug-in {@code k} goes through a trainable linear projection. */
  public boolean pluginProjected(int k) {
    return pluginWeight[k] >= 0;
  }

  /**
   * Overwrites rows 1..numItems of item table {@code tensor} ({@link #ITEM_EMB} or a
   * {@link #pluginTensor}) with {@code rows} {@code [numItems, d]} and zeroes the padding row (CPMM's
   * {@code weight.data[1:, :] = features}). Call after {@link #init}.
   */
  public void setTable(int tensor, io.cliprec.core.features.FloatMatrix rows) {
    int width = Math.toIntExact(shapes.get(tensor).get(1));
    if (rows.rows() != numItems || rows.cols() != width) {
      throw new IllegalArgumentException("plug-in table " + names.get(tensor) + " must be [" + numItems
          + ", " + width + "], got [" + rows.rows() + ", " + rows.cols() + "] (set hidden_size to the"
          + " feature width or plugin_projection: auto)");
    }
    int off = offsets.get(tensor);
    java.util.Arrays.fill(params, off, off + width, 0f);
    System.arraycopy(rows.data(), 0, params, off + width, numItems * width);
  }

  /** Freezes tensor {@code t}: it gets no gradient (CPMM's {@code ban_bp}). */
  public void freeze(int t) {
    frozen[t] = true;
  }

  /** Whether scoring uses ID + plug-in tables (CPMM's {@code train_tv}, default) or the ID table. */
  public void pluginInOutput(boolean b) {
    pluginInOutput = b;
  }

  private int add(String name, Shape s, int off) {
    names.add(name);
    shapes.add(s);
    offsets.add(off);
    return off + Math.toIntExact(s.size());
  }

  /** S3-Rec {@code init_weights}: N(0, 0.02) for embeddings and Linear weights, zero biases, LN (1, 0). */
  public void init(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int t = 0; t < names.size(); t++) {
      String n = names.get(t);
      int off = offsets.get(t);
      int size = Math.toIntExact(shapes.get(t).size());
      float v = n.endsWith("ln.weight") ? 1f : 0f;
      boolean normal = shapes.get(t).dimension() == 2;
      for (int k = 0; k < size; k++) {
        params[off + k] = normal ? (float) (gaussian(rng) * 0.02) : v;
      }
    }
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Flat parameters (live array). */
  public float[] params() {
    return params;
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  public int offset(int tensor) {
    return offsets.get(tensor);
  }

  public Shape shape(int tensor) {
    return shapes.get(tensor);
  }

  public int numItems() {
    return numItems;
  }

  public int hidden() {
    return hidden;
  }

  public int maxLen() {
    return maxLen;
  }

  public int heads() {
    return heads;
  }

  /** Feed-forward inner size. */
  public int inner() {
    return inner;
  }

  public int layers() {
    return layers;
  }

  /** The parameters as NDArrays in {@code m} ({@code grad}: autograd leaves). */
  public NDArray[] leaves(NDManager m, boolean grad) {
    NDArray[] p = new NDArray[names.size()];
    for (int t = 0; t < p.length; t++) {
      int off = offsets.get(t);
      int size = Math.toIntExact(shapes.get(t).size());
      float[] buf = new float[size];
      System.arraycopy(params, off, buf, 0, size);
      p[t] = m.create(buf, shapes.get(t));
      if (grad && !frozen[t]) {
        p[t].setRequiresGradient(true);
      }
    }
    return p;
  }

  /** Gradients of the leaves after backward, flattened in {@link #params()} layout (zeros where none). */
  public float[] gradients(NDArray[] p) {
    float[] g = new float[params.length];
    for (int t = 0; t < p.length; t++) {
      if (frozen[t] || !p[t].hasGradient()) {
        continue;
      }
      NDArray gr = p[t].getGradient();
      if (gr != null) {
        float[] v = gr.toFloatArray();
        System.arraycopy(v, 0, g, offsets.get(t), v.length);
      }
    }
    return g;
  }

  /**
   * Encodes {@code B} right-aligned, 0-padded sequences.
   *
   * @param p parameters from {@link #leaves}
   * @param itemTable item embeddings {@code [numItems + 1, d]} ({@link #itemTable})
   * <p>{@code len} may be shorter than {@link #maxLen()} when every row has at most {@code len} real
   * items: the rows are then the last {@code len} columns of the full left-padded input and get the last
   * {@code len} position embeddings. That is exactly the full computation restricted to those columns
   * (padded keys are masked, padded queries never feed real ones), just cheaper.
   *
   * @param ids {@code [B * len]} model item ids, row-major, right-aligned
   * @param len columns of {@code ids} (1..maxLen)
   * @param train apply dropout
   * @return hidden states {@code [B, len, d]}
   */
  public NDArray encode(NDManager m, NDArray[] p, NDArray itemTable, int[] ids, int batch, int len,
      boolean train) {
    if (len < 1 || len > maxLen || ids.length != batch * len) {
      throw new IllegalArgumentException("ids must be [" + batch + ", len <= " + maxLen + "]");
    }
    NDArray idArr = m.create(ids, new Shape(batch, len));
    NDArray x = Embedding.embedding(idArr, itemTable, SparseFormat.DENSE).singletonOrThrow();
    return encodeInputs(m, p, x, ids, batch, len, train);
  }

  /**
   * {@link #encode} from input item vectors instead of an item table (MP4SR feeds adaptor outputs):
   * adds the position embeddings, LayerNorm, dropout, then the blocks.
   *
   * @param x input item vectors {@code [B, len, d]}
   * @param ids {@code [B * len]} model item ids (only {@code 0} = padding matters: the attention mask)
   * @return hidden states {@code [B, len, d]}
   */
  public NDArray encodeInputs(NDManager m, NDArray[] p, NDArray x, int[] ids, int batch, int len,
      boolean train) {
    if (len < 1 || len > maxLen || ids.length != batch * len) {
      throw new IllegalArgumentException("ids must be [" + batch + ", len <= " + maxLen + "]");
    }
    x = x.add(len == maxLen ? p[POS_EMB] : p[POS_EMB].get((maxLen - len) + ":"));
    x = layerNorm(x, p[EMB_LN_W], p[EMB_LN_B]);
    x = dropout(x, hiddenDropout, train);
    NDArray mask = m.create(attentionMask(ids, batch, len), new Shape(batch, 1, len, len));
    int dh = hidden / heads;
    float scale = (float) (1.0 / Math.sqrt(dh));
    for (int l = 0; l < layers; l++) {
      int b = 4 + l * PER_LAYER;
      NDArray q = split(Linear.linear(x, p[b], p[b + 1]).singletonOrThrow(), batch, len, dh);
      NDArray k = split(Linear.linear(x, p[b + 2], p[b + 3]).singletonOrThrow(), batch, len, dh);
      NDArray v = split(Linear.linear(x, p[b + 4], p[b + 5]).singletonOrThrow(), batch, len, dh);
      NDArray s = NdScalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), scale).add(mask);
      NDArray a = dropout(s.softmax(-1), attnDropout, train);
      NDArray c = a.matMul(v).transpose(0, 2, 1, 3).reshape(batch, len, hidden);
      NDArray h = dropout(Linear.linear(c, p[b + 6], p[b + 7]).singletonOrThrow(), hiddenDropout, train);
      x = layerNorm(h.add(x), p[b + 8], p[b + 9]);
      NDArray f = Activation.gelu(Linear.linear(x, p[b + 10], p[b + 11]).singletonOrThrow());
      f = dropout(Linear.linear(f, p[b + 12], p[b + 13]).singletonOrThrow(), hiddenDropout, train);
      x = layerNorm(f.add(x), p[b + 14], p[b + 15]);
    }
    return x;
  }

  /** Input item table {@code [numItems + 1, d]}: the ID table plus every plug-in table. */
  public NDArray itemTable(NDArray[] p) {
    NDArray t = p[ITEM_EMB];
    for (int k = 0; k < numPlugins; k++) {
      int w = pluginWeight[k];
      t = t.add(w < 0 ? p[pluginTable[k]]
          : Linear.linear(p[pluginTable[k]], p[w], p[w + 1]).singletonOrThrow());
    }
    return t;
  }

  /** Item table used for scoring and the loss: {@link #itemTable} or the ID table alone. */
  public NDArray outputTable(NDArray[] p) {
    return pluginInOutput ? itemTable(p) : p[ITEM_EMB];
  }

  private NDArray split(NDArray y, int batch, int len, int dh) {
    return y.reshape(batch, len, heads, dh).transpose(0, 2, 1, 3);
  }

  private NDArray layerNorm(NDArray x, NDArray w, NDArray b) {
    return LayerNorm.layerNorm(x, new Shape(hidden), w, b, LN_EPS).singletonOrThrow();
  }

  private static NDArray dropout(NDArray x, float rate, boolean train) {
    return train && rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
  }

  /**
   * S3-Rec's extended attention mask {@code [B, 1, L, L]}: 0 where key j &le; query i and key j is not
   * padding, else -10000.
   */
  static float[] attentionMask(int[] ids, int batch, int len) {
    float[] mask = new float[batch * len * len];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < len; i++) {
        int row = (b * len + i) * len;
        for (int j = 0; j < len; j++) {
          mask[row + j] = j <= i && ids[b * len + j] > 0 ? 0f : -10000f;
        }
      }
    }
    return mask;
  }
}
