package io.cliprec.models.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.train.FlatParams;
import io.cliprec.models.train.NdScalars;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DeepFM and xDeepFM over the fields user, item, item class and item-feature plug-ins, as RecBole's
 * {@code context_aware_recommender/{deepfm,xdeepfm}.py} with CPMM's CTR changes ({@code CTR/xDeepFM.py}).
 *
 * <pre>
 *   field embeddings  X = [e_user, e_item, e_class, (e_m for separate plug-ins)]          [B, F, e]
 *     e_item = E_item[i] (+ sum over plug-ins m of P_m[i])  (plug_in_fields: sum, CPMM)
 *     P_m[i] = T_m[i] (INIT: trainable, initialised with the features) or W_m f_m[i] + b_m (PROJECT)
 *     normalize_fields (CPMM): every field embedding divided by max(||x||2, 1e-12)
 *   first order  y1 = w_user[u] + w_item[i] + w_class[c] + sum_m w_m[i] + b                  [B]
 *   DeepFM   y = y1 + 0.5 sum_e((sum_F X)^2 - sum_F X^2) + Linear(MLP(flatten X))
 *   xDeepFM  y = y1 + Linear(CIN(X)) + MLP_1(flatten X)
 *   MLP: per layer Dropout -> Linear -> ReLU (RecBole MLPLayers); xDeepFM's MLP ends in a 1-unit layer
 *       whose ReLU RecBole/CPMM also apply (mlp_output_relu: true reproduces it)
 *   CIN layer k: Z = H_{k-1} (x) X (outer product over fields, [H_{k-1} F, B e]); H'_k = ReLU(W_k Z + b_k)
 *       [B, L_k, e]; not direct: first half feeds the next layer, second half is output (the last
 *       layer's whole output); output = sum over e of the concatenation, [B, sum L_k/2 + L_last]
 * </pre>
 *
 * Init (RecBole/CPMM {@code _init_weights}): xavier_normal for embeddings, Linear and Conv1d weights
 * ({@code std = sqrt(2 / (rows + cols))}), zero biases. Parameters live in one {@link FlatParams}; fixed
 * feature tables of PROJECT plug-ins are frozen tensors in it, so a saved model is self-contained.
 * Not thread-safe while training; {@link #logits} with {@code train = false} only reads.
 */
public final class CtrNet {
  /** Which architecture. */
  public enum Kind {
    DEEPFM,
    XDEEPFM
  }

  private final Kind kind;
  private final int numUsers;
  private final int numItems;
  private final int numClasses;
  private final int emb;
  private final int[] mlp;
  private final int[] cin;
  private final float dropout;
  private final boolean normalize;
  private final boolean separate;
  private final boolean mlpOutputRelu;
  private final List<FieldPlugin> plugins;
  private final FlatParams p = new FlatParams();
  private final int userEmb;
  private final int itemEmb;
  private final int classEmb;
  private final int[] plugTable;
  private final int[] plugW;
  private final int[] plugB;
  private final int[] foPlug;
  private final int foUser;
  private final int foItem;
  private final int foClass;
  private final int foBias;
  private final int[] mlpW;
  private final int[] mlpB;
  private final int outW;
  private final int outB;
  private final int[] cinW;
  private final int[] cinB;
  private final int[] cinNext;
  private final int cinOutW;
  private final int cinOutB;
  private final int fields;
  private final List<Integer> regTensors = new ArrayList<>();
  /** Row space of each tensor: 0 none (used whole), 1 users, 2 items, 3 classes. */
  private final List<Integer> spaces = new ArrayList<>();

  /**
   * @param numUsers users (rows of the user table)
   * @param numItems items
   * @param numClasses item classes (0: no class field)
   * @param emb embedding size e
   * @param mlp hidden layer sizes of the deep part
   * @param cin CIN layer sizes (xDeepFM; all but the last must be even)
   * @param dropout dropout before every MLP layer
   * @param normalize L2-normalise field embeddings (CPMM)
   * @param separate plug-ins as their own fields (true) or summed into the item field (false, CPMM)
   * @param mlpOutputRelu xDeepFM: ReLU on the 1-unit MLP output (RecBole/CPMM)
   * @param plugins item-feature modalities; an INIT {@code id} plug-in in sum mode initialises the item
   *     table itself (CPMM)
   */
  public CtrNet(Kind kind, int numUsers, int numItems, int numClasses, int emb, int[] mlp, int[] cin,
      double dropout, boolean normalize, boolean separate, boolean mlpOutputRelu,
      List<FieldPlugin> plugins) {
    if (numUsers <= 0 || numItems <= 0 || emb <= 0 || numClasses < 0) {
      throw new IllegalArgumentException("CTR sizes must be positive");
    }
    if (mlp.length == 0) {
      throw new IllegalArgumentException("mlp_hidden_size must list at least one layer");
    }
    for (int h : mlp) {
      if (h <= 0) {
        throw new IllegalArgumentException("mlp_hidden_size entries must be > 0");
      }
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout_prob must be in [0, 1), got " + dropout);
    }
    if (kind == Kind.XDEEPFM) {
      if (cin.length == 0) {
        throw new IllegalArgumentException("cin_layer_size must list at least one layer");
      }
      for (int k = 0; k < cin.length; k++) {
        if (cin[k] <= 0 || (k < cin.length - 1 && cin[k] % 2 != 0)) {
          throw new IllegalArgumentException("cin_layer_size entries must be > 0 and even except the last,"
              + " got " + java.util.Arrays.toString(cin));
        }
      }
    }
    this.kind = kind;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.numClasses = numClasses;
    this.emb = emb;
    this.mlp = mlp.clone();
    this.cin = cin.clone();
    this.dropout = (float) dropout;
    this.normalize = normalize;
    this.separate = separate;
    this.mlpOutputRelu = mlpOutputRelu;
    this.plugins = List.copyOf(plugins);
    userEmb = table(p.add("user_embedding", new Shape(numUsers, emb)), USERS);
    itemEmb = table(p.add("item_embedding", new Shape(numItems, emb)), ITEMS);
    classEmb = numClasses > 0 ? table(p.add("class_embedding", new Shape(numClasses, emb)), CLASSES) : -1;
    int np = plugins.size();
    plugTable = new int[np];
    plugW = new int[np];
    plugB = new int[np];
    foPlug = new int[np];
    int f = 2 + (numClasses > 0 ? 1 : 0);
    for (int k = 0; k < np; k++) {
      FieldPlugin pl = plugins.get(k);
      plugW[k] = -1;
      plugB[k] = -1;
      if (pl.mode() == FieldPlugin.Mode.INIT && !separate && pl.name().equals("id")) {
        plugTable[k] = -1; // initialises item_embedding
      } else if (pl.mode() == FieldPlugin.Mode.INIT) {
        plugTable[k] = table(p.add(pl.name() + "_embedding", new Shape(numItems, emb)), ITEMS);
      } else {
        plugTable[k] = table(p.add(pl.name() + "_features", new Shape(numItems, pl.dim())), ITEMS);
        p.freeze(plugTable[k]);
        plugW[k] = p.add(pl.name() + "_proj.weight", new Shape(emb, pl.dim()));
        plugB[k] = p.add(pl.name() + "_proj.bias", new Shape(emb));
      }
      if (separate && plugTable[k] >= 0) {
        f++;
      }
      // CPMM FirstOrderLinear: image/text get per-item scalars of their own; the id view shares the item's
      foPlug[k] = pl.name().equals("id") ? -1
          : reg(table(p.add("fo_" + pl.name(), new Shape(numItems, 1)), ITEMS));
    }
    fields = f;
    foUser = reg(table(p.add("fo_user", new Shape(numUsers, 1)), USERS));
    foItem = reg(table(p.add("fo_item", new Shape(numItems, 1)), ITEMS));
    foClass = numClasses > 0 ? reg(table(p.add("fo_class", new Shape(numClasses, 1)), CLASSES)) : -1;
    foBias = p.add("fo_bias", new Shape(1));
    boolean x = kind == Kind.XDEEPFM;
    int layers = mlp.length + (x ? 1 : 0);
    mlpW = new int[layers];
    mlpB = new int[layers];
    int in = fields * emb;
    for (int l = 0; l < layers; l++) {
      int out = l < mlp.length ? mlp[l] : 1;
      mlpW[l] = reg(p.add("mlp" + l + ".weight", new Shape(out, in)));
      mlpB[l] = p.add("mlp" + l + ".bias", new Shape(out));
      in = out;
    }
    if (x) {
      outW = -1;
      outB = -1;
      cinW = new int[cin.length];
      cinB = new int[cin.length];
      cinNext = new int[cin.length + 1];
      cinNext[0] = fields;
      int finalLen = 0;
      for (int k = 0; k < cin.length; k++) {
        cinW[k] = reg(p.add("cin" + k + ".weight", new Shape(cin[k], cinNext[k] * fields)));
        cinB[k] = p.add("cin" + k + ".bias", new Shape(cin[k]));
        boolean last = k == cin.length - 1;
        cinNext[k + 1] = last ? 0 : cin[k] / 2;
        finalLen += last ? cin[k] : cin[k] / 2;
      }
      cinOutW = p.add("cin_linear.weight", new Shape(1, finalLen));
      cinOutB = p.add("cin_linear.bias", new Shape(1));
    } else {
      outW = p.add("deep_predict.weight", new Shape(1, mlp[mlp.length - 1]));
      outB = p.add("deep_predict.bias", new Shape(1));
      cinW = new int[0];
      cinB = new int[0];
      cinNext = new int[0];
      cinOutW = -1;
      cinOutB = -1;
    }
  }

  private static final int USERS = 1;
  private static final int ITEMS = 2;
  private static final int CLASSES = 3;

  /** Marks tensor {@code t} as a table indexed by {@code space} (every tensor added before it too). */
  private int table(int t, int space) {
    while (spaces.size() <= t) {
      spaces.add(0);
    }
    spaces.set(t, space);
    return t;
  }

  /**
   * The batch of rows (user[k], item[k], class[k]): distinct ids and the table rows to gather.
   *
   * @param users user indices, length B
   * @param items item indices, length B
   * @param classes class indices (ignored without a class field), length B
   */
  public CtrBatch batch(int[] users, int[] items, int[] classes) {
    int b = users.length;
    int[] pu = new int[b];
    int[] pi = new int[b];
    int[] pc = new int[b];
    int[][] distinct = {null, CtrBatch.distinct(users, pu), CtrBatch.distinct(items, pi),
        numClasses > 0 ? CtrBatch.distinct(classes, pc) : null};
    int[][] rowsOf = new int[p.count()][];
    for (int t = 0; t < spaces.size(); t++) {
      rowsOf[t] = distinct[spaces.get(t)];
    }
    return new CtrBatch(pu, pi, pc, rowsOf);
  }

  private int reg(int t) {
    regTensors.add(t);
    return t;
  }

  public Kind kind() {
    return kind;
  }

  public FlatParams params() {
    return p;
  }

  /** Largest CIN outer product, in floats, that {@link #microRows()} allows per pass (8 MiB). */
  static final long MICRO_FLOATS = 1L << 21;

  /**
   * Rows per forward/backward pass that keep xDeepFM's largest CIN tensor ({@code [H F, rows e]}) within
   * {@link #MICRO_FLOATS}, at least 16; unbounded for DeepFM. Larger passes are slower per row, not
   * faster: above glibc's mmap threshold every such tensor is a fresh zero-filled mapping (measured with
   * CPMM's sizes, e = 128, H = 120, F = 3, one thread: ~0.3 ms/row forward at 128-256 rows, 0.6 at 512,
   * 1.1-1.7 at 2048).
   */
  public int microRows() {
    if (kind != Kind.XDEEPFM) {
      return Integer.MAX_VALUE;
    }
    long widest = 0;
    for (int k = 0; k < cin.length; k++) {
      widest = Math.max(widest, (long) cinNext[k] * fields);
    }
    return (int) Math.max(16, MICRO_FLOATS / (widest * emb));
  }

  /** Number of fields F. */
  public int fields() {
    return fields;
  }

  public int numUsers() {
    return numUsers;
  }

  public int numItems() {
    return numItems;
  }

  public int numClasses() {
    return numClasses;
  }

  public List<FieldPlugin> plugins() {
    return plugins;
  }

  /**
   * Xavier-normal weights, zero biases, then the plug-in tables from {@code features} (one
   * {@code [numItems, d]} matrix per plug-in, in {@link #plugins()} order).
   */
  public void init(long seed, List<FloatMatrix> features) {
    float[] w = p.params();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int t = 0; t < p.count(); t++) {
      Shape s = p.shape(t);
      int off = p.offset(t);
      int n = p.length(t);
      if (s.dimension() == 2) {
        double std = Math.sqrt(2.0 / (s.get(0) + s.get(1)));
        for (int k = 0; k < n; k++) {
          w[off + k] = (float) (gaussian(rng) * std);
        }
      } else {
        java.util.Arrays.fill(w, off, off + n, 0f);
      }
    }
    if (features.size() != plugins.size()) {
      throw new IllegalArgumentException("need one feature matrix per plug-in");
    }
    for (int k = 0; k < plugins.size(); k++) {
      FloatMatrix fm = features.get(k);
      FieldPlugin pl = plugins.get(k);
      if (fm.rows() != numItems || fm.cols() != pl.dim()) {
        throw new IllegalArgumentException("features '" + pl.name() + "' must be [" + numItems + ", "
            + pl.dim() + "], got [" + fm.rows() + ", " + fm.cols() + "]");
      }
      int t = plugTable[k] >= 0 ? plugTable[k] : itemEmb;
      System.arraycopy(fm.data(), 0, w, p.offset(t), numItems * pl.dim());
    }
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Logits of a batch.
   *
   * @param w parameters from {@code params().leaves(m, grad, batch.rowsOf())}
   * @param batch from {@link #batch}
   * @param train apply dropout
   * @return logits {@code [B]}
   */
  public NDArray logits(NDManager m, NDArray[] w, CtrBatch batch, boolean train) {
    int b = batch.size();
    NDArray u = m.create(batch.users());
    NDArray i = m.create(batch.items());
    NDArray c = numClasses > 0 ? m.create(batch.classes()) : null;
    List<NDArray> fs = new ArrayList<>();
    fs.add(gather(u, w[userEmb]));
    NDArray item = gather(i, w[itemEmb]);
    List<NDArray> extra = new ArrayList<>();
    NDArray first = gather(u, w[foUser]).add(gather(i, w[foItem]));
    for (int k = 0; k < plugins.size(); k++) {
      if (foPlug[k] >= 0) {
        first = first.add(gather(i, w[foPlug[k]]));
      }
      if (plugTable[k] < 0) {
        continue;
      }
      NDArray e = gather(i, w[plugTable[k]]);
      if (plugW[k] >= 0) {
        e = Linear.linear(e, w[plugW[k]], w[plugB[k]]).singletonOrThrow();
      }
      if (separate) {
        extra.add(e);
      } else {
        item = item.add(e);
      }
    }
    fs.add(item);
    if (c != null) {
      fs.add(gather(c, w[classEmb]));
      first = first.add(gather(c, w[foClass]));
    }
    fs.addAll(extra);
    first = first.add(w[foBias]).reshape(b);
    NDArray x = NDArrays.stack(new NDList(fs), 1); // [B, F, e]
    if (normalize) {
      x = x.div(NdScalars.maximum(x.norm(new int[] {2}, true), 1e-12f));
    }
    NDArray h = x.reshape(b, (long) fields * emb);
    int layers = mlpW.length;
    for (int l = 0; l < layers; l++) {
      if (train && dropout > 0) {
        h = Dropout.dropout(h, dropout, true).singletonOrThrow();
      }
      h = Linear.linear(h, w[mlpW[l]], w[mlpB[l]]).singletonOrThrow();
      boolean outputUnit = kind == Kind.XDEEPFM && l == layers - 1;
      if (!outputUnit || mlpOutputRelu) {
        h = Activation.relu(h);
      }
    }
    NDArray second;
    NDArray deep;
    if (kind == Kind.DEEPFM) {
      NDArray sum = x.sum(new int[] {1});
      second = NdScalars.mul(sum.mul(sum).sub(x.mul(x).sum(new int[] {1})).sum(new int[] {1}), 0.5f);
      deep = Linear.linear(h, w[outW], w[outB]).singletonOrThrow().reshape(b);
    } else {
      second = Linear.linear(cin(x, w, b), w[cinOutW], w[cinOutB]).singletonOrThrow().reshape(b);
      deep = h.reshape(b);
    }
    return first.add(second).add(deep);
  }

  /**
   * CIN output {@code [B, sum L_k/2 + L_last]} of field embeddings {@code x} {@code [B, F, e]}. Computed
   * field-major: hidden states are {@code [H, B, e]}, the outer product {@code [H, F, B, e]} reshapes
   * without a copy to {@code [H F, B e]}, and each layer's Conv1d(kernel 1) is then one
   * {@code [L, H F] x [H F, B e]} matrix product (forward and backward), the same arithmetic as RecBole's
   * {@code einsum + conv1d} with the channel index {@code h F + m}.
   */
  private NDArray cin(NDArray x, NDArray[] w, int b) {
    NDArray x0 = x.transpose(1, 0, 2); // [F, B, e]
    NDArray hidden = x0;
    List<NDArray> outs = new ArrayList<>();
    for (int k = 0; k < cin.length; k++) {
      NDArray z = hidden.expandDims(1).mul(x0.expandDims(0))
          .reshape((long) cinNext[k] * fields, (long) b * emb);
      NDArray o = Activation.relu(w[cinW[k]].matMul(z).add(w[cinB[k]].reshape(cin[k], 1)))
          .reshape(cin[k], b, emb);
      if (k == cin.length - 1) {
        outs.add(o);
      } else {
        int half = cin[k] / 2;
        hidden = o.get(":" + half);
        outs.add(o.get(half + ":"));
      }
    }
    return NDArrays.concat(new NDList(outs), 0).sum(new int[] {2}).transpose(); // [B, final]
  }

  private static NDArray gather(NDArray idx, NDArray table) {
    return Embedding.embedding(idx, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * CPMM {@code calculate_reg_loss}: {@code weight} times the sum of the L2 norms (not squared) of the
   * MLP, CIN and first-order weight tensors, whole tensors (the first-order tables included, as in the
   * reference, not only a batch's rows). Computed here rather than by autograd: its gradient
   * {@code weight * W / ||W||} is added to {@code grad} (flat layout of {@link #params()}).
   *
   * @return the regularisation loss
   */
  public double addRegGradient(float[] params, float[] grad, double weight) {
    double loss = 0;
    for (int t : regTensors) {
      int off = p.offset(t);
      int len = p.length(t);
      double ss = 0;
      for (int k = off; k < off + len; k++) {
        ss += (double) params[k] * params[k];
      }
      double norm = Math.sqrt(ss);
      loss += weight * norm;
      if (norm > 0) {
        float scale = (float) (weight / norm);
        for (int k = off; k < off + len; k++) {
          grad[k] += scale * params[k];
        }
      }
    }
    return loss;
  }

  /** Whether tensor {@code t} is trainable (weight decay applies). */
  public boolean frozen(int t) {
    for (int k = 0; k < plugins.size(); k++) {
      if (plugW[k] >= 0 && plugTable[k] == t) {
        return true;
      }
    }
    return false;
  }
}
