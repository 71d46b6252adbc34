package io.cliprec.models.seq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.features.Npy;
import io.cliprec.core.features.NpyArray;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.SessionEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inference half of {@link SasRecNet} in plain Java: the same forward pass (S3-Rec's SASRec:
 * input table + learned positions, LayerNorm eps 1e-12, {@code layers} post-LN blocks of
 * causal multi-head self-attention and an erf-GELU feed-forward) for one session, no dropout, returning
 * the last position's hidden state {@code [d]}. That vector scored against {@link SeqFactorModel}'s item
 * factors (the net's output table) gives the same ranking as the trained model gives a user with that
 * history. Immutable and thread-safe; one call allocates O(L &middot; (d + inner) + L) floats.
 *
 * <p>The input table is exported already summed ({@link SasRecNet#itemTable}: the ID table plus every
 * plug-in table, {@code [numItems + 1, d]}, row 0 = padding), so plug-in mode needs nothing extra at
 * serving time. Saved ({@link #save}) as {@value io.cliprec.models.SessionEncoder#FILE} (format
 * {@value #FORMAT}, version {@value #VERSION}, sizes) plus one float32 {@code .npy} per tensor, named
 * as in {@link SasRecNet#names()} with {@code item_embeddings} replaced by {@code input_table}.
 */
public final class SasRecSessionEncoder implements SessionEncoder {
  public static final String FORMAT = "cliprec-sasrec-encoder";
  public static final int VERSION = 1;
  private static final String INPUT = "input_table";
  private static final String[] LAYER_TENSORS = {"query.weight", "query.bias", "key.weight", "key.bias",
      "value.weight", "value.bias", "dense.weight", "dense.bias", "attn_ln.weight", "attn_ln.bias",
      "dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias", "ffn_ln.weight", "ffn_ln.bias"};
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final int numItems;
  private final int d;
  private final int heads;
  private final int inner;
  private final int layers;
  private final int maxLen;
  /** Tensor name &rarr; values (C order); shapes from {@link #shape}. */
  private final Map<String, float[]> t;
  private final float[] input;
  private final float[] pos;
  /**
   * [layer][LAYER_TENSORS index]; Linear weights transposed to {@code [in, out]} so that
   * {@link #linear} runs as contiguous multiply-adds over the outputs (which the JIT vectorises).
   */
  private final float[][][] lw;

  private SasRecSessionEncoder(int numItems, int d, int heads, int inner, int layers, int maxLen,
      Map<String, float[]> tensors) {
    if (d % heads != 0 || numItems <= 0 || maxLen <= 0 || layers < 0 || inner <= 0) {
      throw new IllegalArgumentException("bad SASRec sizes");
    }
    this.numItems = numItems;
    this.d = d;
    this.heads = heads;
    this.inner = inner;
    this.layers = layers;
    this.maxLen = maxLen;
    for (String n : tensorNames(layers)) {
      float[] v = tensors.get(n);
      if (v == null || v.length != size(shape(n))) {
        throw new IllegalArgumentException("tensor " + n + " missing or not of shape "
            + Arrays.toString(shape(n)));
      }
    }
    this.t = Map.copyOf(tensors);
    this.input = t.get(INPUT);
    this.pos = t.get("position_embeddings");
    this.lw = new float[layers][LAYER_TENSORS.length][];
    for (int l = 0; l < layers; l++) {
      for (int k = 0; k < LAYER_TENSORS.length; k++) {
        String n = "layer" + l + "." + LAYER_TENSORS[k];
        int[] sh = shape(n);
        lw[l][k] = sh.length == 2 && !n.contains("ln.") ? transpose(t.get(n), sh[0], sh[1]) : t.get(n);
      }
    }
  }

  /**
   * Copies the current weights of {@code net} (its input table computed by {@link SasRecNet#itemTable}
   * on the PyTorch engine, so it is whatever the net feeds its encoder).
   */
  public static SasRecSessionEncoder of(SasRecNet net) {
    float[] input;
    try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
      NDArray[] leaves = net.leaves(nd, false);
      input = net.itemTable(leaves).toFloatArray();
    }
    return of(net, input);
  }

  /**
   * Copies the current encoder weights of {@code net} with another input table (MP4SR feeds adaptor
   * outputs plus the ID embedding, one table per modality).
   *
   * @param inputTable {@code [numItems + 1, d]} C order, row 0 = padding (never read)
   */
  public static SasRecSessionEncoder of(SasRecNet net, float[] inputTable) {
    if (inputTable.length != (net.numItems() + 1) * net.hidden()) {
      throw new IllegalArgumentException("input table has " + inputTable.length + " floats, not ["
          + (net.numItems() + 1) + ", " + net.hidden() + "]");
    }
    Map<String, float[]> m = new LinkedHashMap<>();
    List<String> names = net.names();
    float[] p = net.params();
    m.put(INPUT, inputTable.clone());
    List<String> want = tensorNames(net.layers());
    for (int k = 0; k < names.size(); k++) {
      if (want.contains(names.get(k))) {
        int off = net.offset(k);
        m.put(names.get(k), Arrays.copyOfRange(p, off, off + Math.toIntExact(net.shape(k).size())));
      }
    }
    return new SasRecSessionEncoder(net.numItems(), net.hidden(), net.heads(), net.inner(), net.layers(),
        net.maxLen(), m);
  }

  /** {@code [rows, cols]} &rarr; {@code [cols, rows]}. */
  private static float[] transpose(float[] w, int rows, int cols) {
    float[] out = new float[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = w[r * cols + c];
      }
    }
    return out;
  }

  private static List<String> tensorNames(int layers) {
    List<String> n = new ArrayList<>(List.of(INPUT, "position_embeddings", "emb_ln.weight", "emb_ln.bias"));
    for (int l = 0; l < layers; l++) {
      for (String s : LAYER_TENSORS) {
        n.add("layer" + l + "." + s);
      }
    }
    return n;
  }

  private int[] shape(String name) {
    if (name.equals(INPUT)) {
      return new int[] {numItems + 1, d};
    }
    if (name.equals("position_embeddings")) {
      return new int[] {maxLen, d};
    }
    String s = name.substring(name.indexOf('.') + 1);
    if (name.startsWith("emb_ln")) {
      return new int[] {d};
    }
    switch (s) {
      case "dense_1.weight":
        return new int[] {inner, d};
      case "dense_1.bias":
        return new int[] {inner};
      case "dense_2.weight":
        return new int[] {d, inner};
      default:
        return s.endsWith(".weight") && !s.contains("ln") ? new int[] {d, d} : new int[] {d};
    }
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int s : shape) {
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  @Override
  public String method() {
    return SasRecRecommender.NAME;
  }

  @Override
  public int numItems() {
    return numItems;
  }

  @Override
  public int dim() {
    return d;
  }

  @Override
  public int maxLength() {
    return maxLen;
  }

  @Override
  public float[] encode(int[] items) {
    if (items.length == 0) {
      throw new IllegalArgumentException("a session needs at least one item");
    }
    int n = Math.min(items.length, maxLen);
    int from = items.length - n;
    float[] x = new float[n * d];
    for (int r = 0; r < n; r++) {
      int item = items[from + r];
      if (item < 0 || item >= numItems) {
        throw new IllegalArgumentException("item index " + item + " outside [0, " + numItems + ")");
      }
      int ie = (item + 1) * d;
      int pe = (maxLen - n + r) * d;
      for (int c = 0; c < d; c++) {
        x[r * d + c] = input[ie + c] + pos[pe + c];
      }
      layerNorm(x, r * d, t.get("emb_ln.weight"), t.get("emb_ln.bias"));
    }
    int dh = d / heads;
    double scale = 1.0 / Math.sqrt(dh);
    float[] q = new float[n * d];
    float[] k = new float[n * d];
    float[] v = new float[n * d];
    float[] ctx = new float[d];
    float[] h = new float[d];
    float[] f = new float[inner];
    float[] a = new float[n];
    for (int l = 0; l < layers; l++) {
      float[][] w = lw[l];
      // only the last position's output is returned, so the last block computes only that row
      int r0 = l == layers - 1 ? n - 1 : 0;
      for (int r = 0; r < n; r++) {
        linear(x, r * d, d, w[2], w[3], k, r * d, d);
        linear(x, r * d, d, w[4], w[5], v, r * d, d);
        if (r >= r0) {
          linear(x, r * d, d, w[0], w[1], q, r * d, d);
        }
      }
      for (int i = r0; i < n; i++) {
        for (int hd = 0; hd < heads; hd++) {
          int ho = hd * dh;
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) { // causal: keys after i get -10000 in the net, i.e. weight 0
            a[j] = (float) (dot(q, i * d + ho, k, j * d + ho, dh) * scale);
            max = Math.max(max, a[j]);
          }
          double z = 0;
          for (int j = 0; j <= i; j++) {
            a[j] = (float) Math.exp(a[j] - max);
            z += a[j];
          }
          float inv = (float) (1 / z);
          Arrays.fill(ctx, ho, ho + dh, 0f);
          for (int j = 0; j <= i; j++) {
            float w0 = a[j] * inv;
            int vo = j * d + ho;
            for (int c = 0; c < dh; c++) {
              ctx[ho + c] += w0 * v[vo + c];
            }
          }
        }
        linear(ctx, 0, d, w[6], w[7], h, 0, d);
        for (int c = 0; c < d; c++) {
          x[i * d + c] += h[c];
        }
        layerNorm(x, i * d, w[8], w[9]);
        linear(x, i * d, d, w[10], w[11], f, 0, inner);
        for (int c = 0; c < inner; c++) {
          f[c] = gelu(f[c]);
        }
        linear(f, 0, inner, w[12], w[13], h, 0, d);
        for (int c = 0; c < d; c++) {
          x[i * d + c] += h[c];
        }
        layerNorm(x, i * d, w[14], w[15]);
      }
    }
    return Arrays.copyOfRange(x, (n - 1) * d, n * d);
  }

  /**
   * {@code y[yo .. yo+out) = W x[xo .. xo+in) + b} with {@code wt} = W transposed, {@code [in, out]}
   * (torch's Linear weight is {@code [out, in]}).
   */
  private static void linear(float[] x, int xo, int in, float[] wt, float[] b, float[] y, int yo, int out) {
    System.arraycopy(b, 0, y, yo, out);
    for (int c = 0; c < in; c++) {
      float xc = x[xo + c];
      int wo = c * out;
      for (int o = 0; o < out; o++) {
        y[yo + o] += xc * wt[wo + o];
      }
    }
  }

  /** {@code a[ao .. ao+n) · b[bo .. bo+n)} with four independent partial sums. */
  private static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int c = 0;
    for (; c + 3 < n; c += 4) {
      s0 += a[ao + c] * b[bo + c];
      s1 += a[ao + c + 1] * b[bo + c + 1];
      s2 += a[ao + c + 2] * b[bo + c + 2];
      s3 += a[ao + c + 3] * b[bo + c + 3];
    }
    for (; c < n; c++) {
      s0 += a[ao + c] * b[bo + c];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** In-place LayerNorm of {@code x[off .. off+d)} (biased variance, eps 1e-12 as the net). */
  private void layerNorm(float[] x, int off, float[] w, float[] b) {
    double mean = 0;
    for (int c = 0; c < d; c++) {
      mean += x[off + c];
    }
    mean /= d;
    double var = 0;
    for (int c = 0; c < d; c++) {
      double e = x[off + c] - mean;
      var += e * e;
    }
    var /= d;
    double inv = 1.0 / Math.sqrt(var + SasRecNet.LN_EPS);
    for (int c = 0; c < d; c++) {
      x[off + c] = (float) ((x[off + c] - mean) * inv * w[c] + b[c]);
    }
  }

  /** Exact (erf) GELU: {@code x/2 (1 + erf(x/√2))}, as {@code torch.nn.functional.gelu}. */
  static float gelu(float x) {
    return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
  }

  /**
   * erf with relative error below 1.2e-7 everywhere (the Chebyshev-fitted erfc of Numerical Recipes,
   * 2nd ed. §6.2), evaluated in double.
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
        + t * 0.17087277)))))))));
    return x >= 0 ? 1 - erfc : erfc - 1;
  }

  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> names = tensorNames(layers);
    for (String n : names) {
      Npy.write(dir.resolve(n + ".npy"), shape(n), t.get(n));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("method", method());
    m.put("num_items", numItems);
    m.put("hidden_size", d);
    m.put("n_heads", heads);
    m.put("inner_size", inner);
    m.put("n_layers", layers);
    m.put("max_seq_length", maxLen);
    m.put("layer_norm_eps", (double) SasRecNet.LN_EPS);
    m.put("activation", "gelu_erf");
    m.put("item_ids", "row r of input_table = item index r - 1; row 0 = padding");
    m.put("output", "last position's hidden state; score = dot product with item_factors.npy");
    m.put("tensors", names);
    AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(m));
  }

  /** Reads a directory written by {@link #save}. */
  public static SasRecSessionEncoder load(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    Map<?, ?> m = JSON.readValue(f.toFile(), Map.class);
    if (!FORMAT.equals(m.get("format"))) {
      throw new IOException(f + ": format '" + m.get("format") + "' is not " + FORMAT);
    }
    int version = num(m, "version", f);
    if (version > VERSION) {
      throw new IOException(f + ": " + FORMAT + " version " + version + " is newer than this cliprec reads ("
          + VERSION + ")");
    }
    int layers = num(m, "n_layers", f);
    Map<String, float[]> ts = new LinkedHashMap<>();
    for (String n : tensorNames(layers)) {
      NpyArray a = Npy.read(dir.resolve(n + ".npy"));
      ts.put(n, a.data());
    }
    try {
      return new SasRecSessionEncoder(num(m, "num_items", f), num(m, "hidden_size", f), num(m, "n_heads", f),
          num(m, "inner_size", f), layers, num(m, "max_seq_length", f), ts);
    } catch (IllegalArgumentException e) {
      throw new IOException(dir + ": " + e.getMessage(), e);
    }
  }

  private static int num(Map<?, ?> m, String key, Path f) throws IOException {
    if (!(m.get(key) instanceof Number)) {
      throw new IOException(f + ": no integer '" + key + "'");
    }
    return ((Number) m.get(key)).intValue();
  }
}
