package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.train.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LATTICE as MMRec's {@code models/lattice.py} with {@code cf_model: lightgcn}.
 *
 * <ul>
 *   <li>Parameters: ego embeddings {@code E0 = [U; I] [numUsers + numItems, d]} (xavier-uniform); per
 *       modality m the (trainable) raw features {@code X_m [numItems, F_m]} and a linear layer
 *       {@code W_m [F_m, f]}, {@code b_m [f]} (torch default init); modality logits {@code θ [M]} (0.5).
 *   <li>Original graphs {@code O_m = D^-1/2 K_m D^-1/2}: {@code K_m} keeps the {@code knn_k} largest
 *       cosine similarities of raw row i (self included) with their values; built once (disk cache).
 *   <li>Learned graph, rebuilt at the first batch of every epoch and for evaluation:
 *       {@code P_m = X_m W_m + b_m}, {@code Z_m} = row-normalised {@code P_m}, {@code K'_m} = kNN of
 *       {@code Z_m} with similarity values, {@code w = softmax(θ)}, {@code A = Σ_m w_m K'_m},
 *       {@code L = D_A^-1/2 A D_A^-1/2} (row sums of A), item graph
 *       {@code M = (1-λ) L + λ Σ_m w_m O_m} ({@code λ = lambda_coeff}). In that first batch the loss
 *       differentiates through M into {@code θ, W_m, b_m, X_m} (only the selected top-k values carry
 *       gradient, like {@code torch.topk}); in the other batches M is a constant (MMRec's
 *       {@code detach()}).
 *   <li>{@code h = M^n_layers I}; user/item = LightGCN layer mean over {@code len(weight_size)} layers on
 *       MMRec's LATTICE adjacency {@code D^-1 (A + Id)} (row-normalised, with self-loops; backward uses its
 *       transpose); final item = layer mean + {@code h / ‖h‖}.
 *   <li>Loss: {@code -mean logσ(s_up - s_un) + reg_weight · ½(‖u‖² + ‖p‖² + ‖n‖²) / train_batch_size}
 *       over the batch's final vectors.
 *   <li>Trainable text fusion ({@link TextFusion}, {@code text_fusion: mlp|attention}): the fusion
 *       layer's output replaces the free text features {@code X_text}, so the learned graph is built from
 *       {@code fusion(views) W + b} and trains the fusion through the graph path; the original graph
 *       {@code O_text} comes from the fixed (encode-time) fused text.
 * </ul>
 */
final class LatticeModel implements MmModel {
  private final int nu;
  private final int ni;
  private final int d;
  private final int fe;
  private final int k;
  private final int nm;
  private final int layers;
  private final float reg;
  private final float regDenom;
  private final float lambda;
  private final Parallel par;
  private final Param ego;
  private final Param theta;
  private final Param[] xs;
  private final Param[] ws;
  private final Param[] bs;
  private final int[] dims;
  private final TextFusion fusion;
  private final int fusedIndex;
  private final List<Param> params = new ArrayList<>();
  private final KnnGraph[] orig;
  private final float[][] origVal;
  private final LightGcnPropagation propF;
  private final LightGcnPropagation propB;
  private boolean buildGraph = true;
  // the current item graph and what its backward needs
  private ItemGraph graph;
  private float[][] zs;
  private float[][] pnorm;
  private KnnGraph[] learned;
  private double[] w;
  private double[] rowSum;
  private double[] dinv;
  private final float[] fin;
  private final float[][] hs;

  LatticeModel(Dataset data, Config cfg, ItemFeatures f, Parallel par, SplittableRandom rng) {
    nu = data.numUsers();
    ni = data.numItems();
    d = cfg.getInt("embedding_size");
    fe = cfg.getInt("feat_embed_dim");
    k = Math.min(cfg.getInt("knn_k"), ni);
    layers = cfg.getInt("n_layers");
    int uiLayers = cfg.getList("weight_size").size();
    reg = (float) cfg.getDouble("reg_weight");
    regDenom = cfg.getInt("train_batch_size");
    lambda = (float) cfg.getDouble("lambda_coeff");
    String cf = cfg.getString("cf_model", "lightgcn");
    if (!cf.equals("lightgcn")) {
      throw new IllegalArgumentException("lattice: only cf_model lightgcn is implemented, got " + cf);
    }
    this.par = par;
    List<String> names = new ArrayList<>(f.names());
    nm = names.size();
    ego = new Param("ego_embeddings", new float[(nu + ni) * d]);
    Dense.xavierUniform(ego.value, 0, nu, d, rng);
    Dense.xavierUniform(ego.value, nu * d, ni, d, rng);
    params.add(ego);
    xs = new Param[nm];
    ws = new Param[nm];
    bs = new Param[nm];
    dims = new int[nm];
    orig = new KnnGraph[nm];
    origVal = new float[nm][];
    String cache = cfg.getString("graph_cache_dir", null);
    Path cacheDir = cache == null || cache.isBlank() ? null : Path.of(cache);
    fusion = TextFusion.of(cfg, f, TextFusion.modality(cfg), ni, par, rng);
    int fused = -1;
    for (int m = 0; m < nm; m++) {
      FloatMatrix x = f.get(names.get(m));
      boolean isFused = fusion != null && names.get(m).equals(TextFusion.modality(cfg));
      dims[m] = isFused ? fusion.dim() : x.cols();
      // the fused text is not a Param: the fusion layer recomputes it (its own params train instead)
      xs[m] = isFused ? null : new Param(names.get(m) + "_embedding", x.data().clone());
      ws[m] = new Param(names.get(m) + "_trs.weight", new float[dims[m] * fe]);
      bs[m] = new Param(names.get(m) + "_trs.bias", new float[fe]);
      Dense.torchLinearInit(ws[m].value, bs[m].value, dims[m], rng);
      if (isFused) {
        fused = m;
      } else {
        params.add(xs[m]);
      }
      params.add(ws[m]);
      params.add(bs[m]);
      orig[m] = KnnGraph.cached(x, names.get(m), k, cacheDir, par.threads());
      origVal[m] = symNormalized(orig[m]);
    }
    fusedIndex = fused;
    theta = new Param("modal_weight", new float[nm]);
    Arrays.fill(theta.value, 0.5f);
    params.add(theta);
    if (fusion != null) {
      params.addAll(fusion.params());
    }
    CsrMatrix adj = rowNormalizedWithSelfLoops(data.trainMatrix());
    propF = new LightGcnPropagation(adj, uiLayers, par.threads() * 8);
    propB = new LightGcnPropagation(adj.transpose(), uiLayers, par.threads() * 8);
    fin = new float[(nu + ni) * d];
    hs = new float[layers + 1][ni * d];
  }

  /** {@code D^-1/2 K D^-1/2} values of a weighted kNN graph (row sums of K; 1/sqrt(0) → 0). */
  static float[] symNormalized(KnnGraph g) {
    double[] di = new double[g.n()];
    for (int i = 0; i < g.n(); i++) {
      double s = 0;
      for (int t = 0; t < g.k(); t++) {
        s += g.sim()[i * g.k() + t];
      }
      di[i] = invSqrt(s);
    }
    float[] v = new float[g.n() * g.k()];
    for (int i = 0; i < g.n(); i++) {
      for (int t = 0; t < g.k(); t++) {
        int e = i * g.k() + t;
        v[e] = (float) (di[i] * g.sim()[e] * di[g.idx()[e]]);
      }
    }
    return v;
  }

  private static double invSqrt(double s) {
    double r = Math.pow(s, -0.5);
    return Double.isInfinite(r) ? 0 : r;
  }

  /** MMRec LATTICE's {@code get_adj_mat}: {@code D^-1 (A + I)} over the bipartite graph. */
  static CsrMatrix rowNormalizedWithSelfLoops(CsrMatrix ui) {
    int nu = ui.rows();
    int ni = ui.cols();
    int n = nu + ni;
    CsrMatrix iu = ui.transpose();
    int[] ptr = new int[n + 1];
    int[] idx = new int[2 * ui.nnz() + n];
    float[] val = new float[idx.length];
    int p = 0;
    for (int r = 0; r < n; r++) {
      ptr[r] = p;
      boolean user = r < nu;
      CsrMatrix src = user ? ui : iu;
      int row = user ? r : r - nu;
      int deg = src.rowLength(row);
      float v = (float) (1.0 / (deg + 1.0));
      boolean selfDone = false;
      for (int q = src.indptr()[row]; q < src.indptr()[row + 1]; q++) {
        int c = user ? nu + src.indices()[q] : src.indices()[q];
        if (!selfDone && c > r) {
          idx[p] = r;
          val[p++] = v;
          selfDone = true;
        }
        idx[p] = c;
        val[p++] = v;
      }
      if (!selfDone) {
        idx[p] = r;
        val[p++] = v;
      }
    }
    ptr[n] = p;
    return new CsrMatrix(n, n, ptr, idx, val);
  }

  /** The (trainable or fused) features of modality m, {@code [numItems, dims[m]]}. */
  private float[] xValue(int m) {
    return m == fusedIndex ? fusion.output() : xs[m].value;
  }

  @Override
  public List<Param> params() {
    return params;
  }

  @Override
  public void preEpoch(int epoch, SplittableRandom rng) {
    buildGraph = true;
  }

  /** Rebuilds the learned item graph M from the current parameters. */
  private void buildItemGraph() {
    zs = new float[nm][];
    pnorm = new float[nm][];
    learned = new KnnGraph[nm];
    double mx = Double.NEGATIVE_INFINITY;
    for (float t : theta.value) {
      mx = Math.max(mx, t);
    }
    w = new double[nm];
    double sum = 0;
    for (int m = 0; m < nm; m++) {
      w[m] = Math.exp(theta.value[m] - mx);
      sum += w[m];
    }
    for (int m = 0; m < nm; m++) {
      w[m] /= sum;
      float[] p = new float[ni * fe];
      if (m == fusedIndex) {
        fusion.forward();
      }
      Dense.linear(xValue(m), ni, dims[m], ws[m].value, bs[m].value, fe, p, par);
      float[] nrm = new float[ni];
      for (int i = 0; i < ni; i++) {
        nrm[i] = (float) Math.sqrt(Dense.dot(p, i * fe, p, i * fe, fe));
      }
      pnorm[m] = nrm;
      zs[m] = Dense.normalizeRows(p, ni, fe);
      learned[m] = KnnGraph.ofNormalized(zs[m], ni, fe, k, par.threads());
    }
    rowSum = new double[ni];
    dinv = new double[ni];
    for (int i = 0; i < ni; i++) {
      double s = 0;
      for (int m = 0; m < nm; m++) {
        for (int t = 0; t < k; t++) {
          s += w[m] * learned[m].sim()[i * k + t];
        }
      }
      rowSum[i] = s;
      dinv[i] = invSqrt(s);
    }
    int width = 2 * nm * k;
    int[] cols = new int[ni * width];
    float[] vals = new float[ni * width];
    for (int i = 0; i < ni; i++) {
      for (int m = 0; m < nm; m++) {
        for (int t = 0; t < k; t++) {
          int src = i * k + t;
          int j = learned[m].idx()[src];
          int e = i * width + m * k + t;
          cols[e] = j;
          vals[e] = (float) ((1 - lambda) * dinv[i] * w[m] * learned[m].sim()[src] * dinv[j]);
          int eo = i * width + (nm + m) * k + t;
          cols[eo] = orig[m].idx()[src];
          vals[eo] = (float) (lambda * w[m] * origVal[m][src]);
        }
      }
    }
    graph = new ItemGraph(ni, width, cols, vals);
  }

  /** hs[l] = M^l I, returns the row-normalised h (F.normalize, eps 1e-12) and its norms in {@code norms}. */
  private float[] itemGraphForward(float[] norms) {
    System.arraycopy(ego.value, nu * d, hs[0], 0, ni * d);
    for (int l = 1; l <= layers; l++) {
      graph.mul(hs[l - 1], hs[l], d, par);
    }
    float[] h = hs[layers];
    float[] hn = new float[ni * d];
    for (int i = 0; i < ni; i++) {
      double n = Math.max(Math.sqrt(Dense.dot(h, i * d, h, i * d, d)), 1e-12);
      norms[i] = (float) n;
      for (int c = 0; c < d; c++) {
        hn[i * d + c] = (float) (h[i * d + c] / n);
      }
    }
    return hn;
  }

  @Override
  public double batch(int[] users, int[] pos, int[] neg) {
    boolean graphGrad = buildGraph;
    if (buildGraph) {
      buildItemGraph();
      buildGraph = false;
    }
    int b = users.length;
    propF.forward(ego.value, fin, d, par);
    float[] hNorms = new float[ni];
    float[] hn = itemGraphForward(hNorms);
    float[] gFin = new float[(nu + ni) * d];
    float[] gHn = new float[ni * d];
    double loss = 0;
    double sq = 0;
    float kr = reg / regDenom;
    float[] fp = new float[d];
    float[] fn = new float[d];
    for (int q = 0; q < b; q++) {
      int uo = users[q] * d;
      int po = pos[q] * d;
      int no = neg[q] * d;
      double s = 0;
      for (int c = 0; c < d; c++) {
        fp[c] = fin[nu * d + po + c] + hn[po + c];
        fn[c] = fin[nu * d + no + c] + hn[no + c];
        float fu = fin[uo + c];
        s += (double) fu * (fp[c] - fn[c]);
        sq += (double) fu * fu + (double) fp[c] * fp[c] + (double) fn[c] * fn[c];
      }
      loss -= Dense.logSigmoid(s);
      float cf = (float) (-(1 - Dense.sigmoid(s)) / b);
      for (int c = 0; c < d; c++) {
        float fu = fin[uo + c];
        gFin[uo + c] += cf * (fp[c] - fn[c]) + kr * fu;
        float gp = cf * fu + kr * fp[c];
        float gn = -cf * fu + kr * fn[c];
        gFin[nu * d + po + c] += gp;
        gHn[po + c] += gp;
        gFin[nu * d + no + c] += gn;
        gHn[no + c] += gn;
      }
    }
    loss = loss / b + reg * 0.5 * sq / regDenom;
    // F.normalize backward
    float[] g = new float[ni * d];
    for (int i = 0; i < ni; i++) {
      int o = i * d;
      double proj = Dense.dot(hn, o, gHn, o, d);
      if (proj == 0 && Dense.dot(gHn, o, gHn, o, d) == 0) {
        continue;
      }
      for (int c = 0; c < d; c++) {
        g[o + c] = (float) ((gHn[o + c] - hn[o + c] * proj) / hNorms[i]);
      }
    }
    float[] gM = graphGrad ? new float[graph.cols.length] : null;
    for (int l = layers; l >= 1; l--) {
      if (gM != null) {
        float[] prev = hs[l - 1];
        float[] gl = g;
        par.forRange(ni, (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int e = i * graph.width; e < (i + 1) * graph.width; e++) {
              gM[e] += (float) Dense.dot(gl, i * d, prev, graph.cols[e] * d, d);
            }
          }
        });
      }
      float[] out = new float[ni * d];
      graph.mulTransposedAdd(g, out, d);
      g = out;
    }
    propB.forward(gFin, ego.grad, d, par);
    for (int t = 0; t < ni * d; t++) {
      ego.grad[nu * d + t] += g[t];
    }
    if (gM != null) {
      graphBackward(gM);
    }
    return loss;
  }

  /** Gradient of the loss w.r.t. θ, W_m, b_m, X_m given ∂L/∂M on M's stored entries. */
  private void graphBackward(float[] gM) {
    int width = graph.width;
    double[] gw = new double[nm];
    double[] gd = new double[ni];
    double[] gA = new double[ni * nm * k];
    for (int i = 0; i < ni; i++) {
      for (int m = 0; m < nm; m++) {
        for (int t = 0; t < k; t++) {
          int src = i * k + t;
          int j = learned[m].idx()[src];
          double a = w[m] * learned[m].sim()[src];
          double gl = (1 - lambda) * gM[i * width + m * k + t];
          gA[(i * nm + m) * k + t] = gl * dinv[i] * dinv[j];
          gd[i] += gl * a * dinv[j];
          gd[j] += gl * dinv[i] * a;
          gw[m] += lambda * gM[i * width + (nm + m) * k + t] * origVal[m][src];
        }
      }
    }
    for (int i = 0; i < ni; i++) {
      double gr = dinv[i] == 0 ? 0 : gd[i] * -0.5 * dinv[i] * dinv[i] * dinv[i];
      for (int e = i * nm * k; e < (i + 1) * nm * k; e++) {
        gA[e] += gr;
      }
    }
    for (int m = 0; m < nm; m++) {
      float[] z = zs[m];
      float[] gz = new float[ni * fe];
      for (int i = 0; i < ni; i++) {
        for (int t = 0; t < k; t++) {
          int src = i * k + t;
          int j = learned[m].idx()[src];
          double ga = gA[(i * nm + m) * k + t];
          gw[m] += ga * learned[m].sim()[src];
          float gs = (float) (ga * w[m]);
          for (int c = 0; c < fe; c++) {
            gz[i * fe + c] += gs * z[j * fe + c];
            gz[j * fe + c] += gs * z[i * fe + c];
          }
        }
      }
      float[] gp = new float[ni * fe];
      for (int i = 0; i < ni; i++) {
        if (pnorm[m][i] == 0f) {
          continue;
        }
        double proj = Dense.dot(z, i * fe, gz, i * fe, fe);
        for (int c = 0; c < fe; c++) {
          gp[i * fe + c] = (float) ((gz[i * fe + c] - z[i * fe + c] * proj) / pnorm[m][i]);
        }
      }
      Dense.linearBackward(xValue(m), ni, dims[m], ws[m].value, fe, gp, ws[m].grad, bs[m].grad,
          m == fusedIndex ? fusion.outputGrad() : xs[m].grad, par);
      if (m == fusedIndex) {
        fusion.backward();
      }
    }
    double wg = 0;
    for (int m = 0; m < nm; m++) {
      wg += w[m] * gw[m];
    }
    for (int m = 0; m < nm; m++) {
      theta.grad[m] += (float) (w[m] * (gw[m] - wg));
    }
  }

  @Override
  public FloatMatrix[] factors() {
    buildItemGraph();
    float[] all = new float[(nu + ni) * d];
    propF.forward(ego.value, all, d, par);
    float[] hn = itemGraphForward(new float[ni]);
    float[] items = Arrays.copyOfRange(all, nu * d, (nu + ni) * d);
    for (int t = 0; t < ni * d; t++) {
      items[t] += hn[t];
    }
    return new FloatMatrix[] {new FloatMatrix(nu, d, Arrays.copyOf(all, nu * d)),
        new FloatMatrix(ni, d, items)};
  }
}
