package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.graph.NormalizedAdjacency;
import io.cliprec.models.train.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * FREEDOM as MMRec's {@code models/freedom.py}.
 *
 * <ul>
 *   <li>Frozen item–item graph {@code S = Σ_m w_m · N(kNN_m)}: per modality the {@code knn_k} cosine
 *       neighbours of the raw features (self included), binary, normalised {@code D^-1/2 A D^-1/2}
 *       (so every entry is 1/k); {@code w = mm_image_weight} for the modality named {@code image_modality}
 *       and the rest share {@code 1 - w} (one modality: weight 1; no image modality: equal weights).
 *   <li>Ego embeddings {@code E0 = [U; I] [numUsers + numItems, d]} (xavier-uniform).
 *   <li>Each epoch, degree-sensitive edge pruning ({@code dropout} &gt; 0): keep
 *       {@code int(|E| (1 - dropout))} training edges sampled without replacement with probability
 *       proportional to {@code 1/sqrt(deg_u deg_i)} (as {@code torch.multinomial}; Efraimidis–Spirakis
 *       keys), re-normalised by the kept degrees; training propagates on this graph, evaluation on the
 *       full normalised graph.
 *   <li>Final user = LightGCN layer mean ({@code n_ui_layers}); final item = layer mean +
 *       {@code S^n_mm_layers · I}.
 *   <li>Loss: {@code -mean logσ(s_up - s_un) + reg_weight · Σ_m -mean logσ(u·(T_p - T_n))} with
 *       {@code T = X_m W_m + b_m} (trainable features and linear layer, torch-default init; only present
 *       when {@code reg_weight > 0}: with 0 they would never move).
 *   <li>Trainable text fusion ({@link TextFusion}, {@code text_fusion: mlp|attention}): the item graph
 *       stays frozen and is built from the fixed (encode-time) fused text, as FREEDOM freezes it; the
 *       trainable layer replaces the free text embedding {@code X_text} of the feature-projection loss, so
 *       {@code T_text = fusion(views) W + b} and the fusion trains through that loss (reg_weight must be
 *       &gt; 0).
 * </ul>
 */
final class FreedomModel implements MmModel {
  private final int nu;
  private final int ni;
  private final int d;
  private final float reg;
  private final double dropout;
  private final int mmLayers;
  private final int uiLayers;
  private final Parallel par;
  private final Param ego;
  private final List<Param> params = new ArrayList<>();
  private final List<Param> featX = new ArrayList<>();
  private final List<Param> featW = new ArrayList<>();
  private final List<Param> featB = new ArrayList<>();
  private final List<Integer> featDim = new ArrayList<>();
  private final int feDim;
  private final TextFusion fusion;
  private final int fusedIndex;
  private final ItemGraph mm;
  private final LightGcnPropagation fullProp;
  private LightGcnPropagation prop;
  private final CsrMatrix train;
  private final float[] edgeWeight;
  private final float[] fin;
  private final float[] itemEgo;
  private final float[][] hs;
  private final float[] gH;

  FreedomModel(Dataset data, Config cfg, ItemFeatures f, Parallel par, SplittableRandom rng) {
    nu = data.numUsers();
    ni = data.numItems();
    d = cfg.getInt("embedding_size");
    reg = (float) cfg.getDouble("reg_weight");
    dropout = cfg.getDouble("dropout");
    mmLayers = cfg.getInt("n_mm_layers");
    uiLayers = cfg.getInt("n_ui_layers");
    feDim = cfg.getInt("feat_embed_dim");
    int k = cfg.getInt("knn_k");
    this.par = par;
    if (feDim != d) {
      throw new IllegalArgumentException("freedom: feat_embed_dim (" + feDim + ") must equal embedding_size ("
          + d + ") since projected features are scored against user embeddings");
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("freedom: dropout must be in [0, 1), got " + dropout);
    }
    ego = new Param("ego_embeddings", new float[(nu + ni) * d]);
    Dense.xavierUniform(ego.value, 0, nu, d, rng);
    Dense.xavierUniform(ego.value, nu * d, ni, d, rng);
    params.add(ego);
    List<String> names = new ArrayList<>(f.names());
    fusion = TextFusion.of(cfg, f, TextFusion.modality(cfg), ni, par, rng);
    if (fusion != null && reg == 0f) {
      throw new IllegalArgumentException("freedom: text_fusion " + fusion.mode().name().toLowerCase(
          java.util.Locale.ROOT) + " acts through the feature-projection loss, which reg_weight 0 switches off"
          + " (the frozen item graph is built from the fixed text); set reg_weight > 0, e.g. 1e-4");
    }
    int fused = -1;
    if (reg != 0f) {
      for (String n : names) {
        FloatMatrix m = f.get(n);
        boolean isFused = fusion != null && n.equals(TextFusion.modality(cfg));
        int cols = isFused ? fusion.dim() : m.cols();
        // the fused text is not a Param: the fusion layer recomputes it (its own params train instead)
        Param x = isFused ? null : new Param(n + "_embedding", m.data().clone());
        Param w = new Param(n + "_trs.weight", new float[cols * feDim]);
        Param b = new Param(n + "_trs.bias", new float[feDim]);
        Dense.torchLinearInit(w.value, b.value, cols, rng);
        if (isFused) {
          fused = featX.size();
        } else {
          params.add(x);
        }
        featX.add(x);
        featW.add(w);
        featB.add(b);
        featDim.add(cols);
        params.add(w);
        params.add(b);
      }
      if (fusion != null) {
        params.addAll(fusion.params());
      }
    }
    fusedIndex = fused;
    // frozen multimodal item graph
    double[] weights = modalityWeights(names, cfg.getDouble("mm_image_weight"),
        cfg.getString("image_modality", "image"));
    String cache = cfg.getString("graph_cache_dir", null);
    Path cacheDir = cache == null || cache.isBlank() ? null : Path.of(cache);
    int width = 0;
    List<KnnGraph> knns = new ArrayList<>();
    for (String n : names) {
      KnnGraph g = KnnGraph.cached(f.get(n), n, k, cacheDir, par.threads());
      knns.add(g);
      width += g.k();
    }
    int[] cols = new int[ni * width];
    float[] vals = new float[ni * width];
    int off = 0;
    for (int m = 0; m < knns.size(); m++) {
      KnnGraph g = knns.get(m);
      // binary kNN rows all have g.k ones: D^-1/2 A D^-1/2 = 1 / (k + 1e-7) on every kept edge
      double rs = g.k() + 1e-7;
      float v = (float) (weights[m] * Math.pow(rs, -0.5) * Math.pow(rs, -0.5));
      for (int i = 0; i < ni; i++) {
        for (int t = 0; t < g.k(); t++) {
          cols[i * width + off + t] = g.idx()[i * g.k() + t];
          vals[i * width + off + t] = v;
        }
      }
      off += g.k();
    }
    mm = new ItemGraph(ni, width, cols, vals);
    train = data.trainMatrix();
    fullProp = new LightGcnPropagation(NormalizedAdjacency.build(train), uiLayers, par.threads() * 8);
    prop = fullProp;
    CsrMatrix iu = train.transpose();
    edgeWeight = new float[train.nnz()];
    for (int u = 0; u < nu; u++) {
      for (int p = train.indptr()[u]; p < train.indptr()[u + 1]; p++) {
        int i = train.indices()[p];
        edgeWeight[p] = (float) (Math.pow(train.rowLength(u) + 1e-7, -0.5)
            * Math.pow(iu.rowLength(i) + 1e-7, -0.5));
      }
    }
    fin = new float[(nu + ni) * d];
    itemEgo = new float[ni * d];
    hs = new float[mmLayers + 1][];
    hs[0] = itemEgo;
    for (int l = 1; l <= mmLayers; l++) {
      hs[l] = new float[ni * d];
    }
    gH = new float[ni * d];
  }

  /** Per-modality weights of the item graph (see class doc). */
  static double[] modalityWeights(List<String> names, double imageWeight, String imageName) {
    int m = names.size();
    double[] w = new double[m];
    int img = names.indexOf(imageName);
    if (m == 1) {
      w[0] = 1;
    } else if (img < 0) {
      Arrays.fill(w, 1.0 / m);
    } else {
      Arrays.fill(w, (1 - imageWeight) / (m - 1));
      w[img] = imageWeight;
    }
    return w;
  }

  @Override
  public List<Param> params() {
    return params;
  }

  @Override
  public void preEpoch(int epoch, SplittableRandom rng) {
    if (dropout <= 0) {
      prop = fullProp;
      return;
    }
    int nnz = train.nnz();
    int keep = (int) (nnz * (1.0 - dropout));
    // weighted sampling without replacement: the `keep` largest keys log(U)/w
    double[] key = new double[nnz];
    for (int e = 0; e < nnz; e++) {
      double u = 1.0 - rng.nextDouble(); // (0, 1]
      key[e] = Math.log(u) / edgeWeight[e];
    }
    Integer[] order = new Integer[nnz];
    for (int e = 0; e < nnz; e++) {
      order[e] = e;
    }
    Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
    boolean[] kept = new boolean[nnz];
    for (int t = 0; t < keep; t++) {
      kept[order[t]] = true;
    }
    prop = new LightGcnPropagation(prunedAdjacency(kept), uiLayers, par.threads() * 8);
  }

  /** Symmetric {@code [nu+ni]²} adjacency of the kept edges, values {@code (deg_u+1e-7)^-1/2 (deg_i+1e-7)^-1/2}. */
  private CsrMatrix prunedAdjacency(boolean[] kept) {
    int n = nu + ni;
    int[] du = new int[nu];
    int[] di = new int[ni];
    int total = 0;
    for (int u = 0; u < nu; u++) {
      for (int p = train.indptr()[u]; p < train.indptr()[u + 1]; p++) {
        if (kept[p]) {
          du[u]++;
          di[train.indices()[p]]++;
          total++;
        }
      }
    }
    int[] ptr = new int[n + 1];
    for (int u = 0; u < nu; u++) {
      ptr[u + 1] = ptr[u] + du[u];
    }
    for (int i = 0; i < ni; i++) {
      ptr[nu + i + 1] = ptr[nu + i] + di[i];
    }
    int[] idx = new int[2 * total];
    float[] val = new float[2 * total];
    int[] fill = Arrays.copyOf(ptr, n);
    for (int u = 0; u < nu; u++) {
      for (int p = train.indptr()[u]; p < train.indptr()[u + 1]; p++) {
        if (!kept[p]) {
          continue;
        }
        int i = train.indices()[p];
        float v = (float) (Math.pow(du[u] + 1e-7, -0.5) * Math.pow(di[i] + 1e-7, -0.5));
        idx[fill[u]] = nu + i;
        val[fill[u]++] = v;
        idx[fill[nu + i]] = u;
        val[fill[nu + i]++] = v;
      }
    }
    return new CsrMatrix(n, n, ptr, idx, val);
  }

  /** {@code hs[l] = S^l · I} for l = 0..n_mm_layers. */
  private void itemGraphForward() {
    System.arraycopy(ego.value, nu * d, itemEgo, 0, ni * d);
    for (int l = 1; l <= mmLayers; l++) {
      mm.mul(hs[l - 1], hs[l], d, par);
    }
  }

  @Override
  public double batch(int[] users, int[] pos, int[] neg) {
    int bs = users.length;
    prop.forward(ego.value, fin, d, par);
    itemGraphForward();
    float[] h = hs[mmLayers];
    float[] gFin = new float[(nu + ni) * d];
    Arrays.fill(gH, 0f);
    double loss = 0;
    float[] fp = new float[d];
    float[] fn = new float[d];
    for (int k = 0; k < bs; k++) {
      int uo = users[k] * d;
      int po = pos[k] * d;
      int no = neg[k] * d;
      double s = 0;
      for (int c = 0; c < d; c++) {
        fp[c] = fin[nu * d + po + c] + h[po + c];
        fn[c] = fin[nu * d + no + c] + h[no + c];
        s += (double) fin[uo + c] * (fp[c] - fn[c]);
      }
      loss -= Dense.logSigmoid(s);
      float cf = (float) (-(1 - Dense.sigmoid(s)) / bs);
      for (int c = 0; c < d; c++) {
        float fu = fin[uo + c];
        gFin[uo + c] += cf * (fp[c] - fn[c]);
        gFin[nu * d + po + c] += cf * fu;
        gH[po + c] += cf * fu;
        gFin[nu * d + no + c] -= cf * fu;
        gH[no + c] -= cf * fu;
      }
    }
    loss /= bs;
    for (int m = 0; m < featX.size(); m++) {
      loss += reg * featureBpr(m, users, pos, neg, gFin);
    }
    prop.backward(gFin, ego.grad, d, par);
    float[] g = gH;
    for (int l = mmLayers; l >= 1; l--) {
      float[] out = new float[ni * d];
      mm.mulTransposedAdd(g, out, d);
      g = out;
    }
    for (int t = 0; t < ni * d; t++) {
      ego.grad[nu * d + t] += g[t];
    }
    return loss;
  }

  /** {@code -mean logσ(u·(T_p - T_n))} of modality m; adds reg-scaled gradients. */
  private double featureBpr(int m, int[] users, int[] pos, int[] neg, float[] gFin) {
    int bs = users.length;
    int fd = featDim.get(m);
    Param w = featW.get(m);
    Param b = featB.get(m);
    float[] xv;
    float[] xg;
    if (m == fusedIndex) {
      fusion.forward();
      xv = fusion.output();
      xg = fusion.outputGrad();
    } else {
      xv = featX.get(m).value;
      xg = featX.get(m).grad;
    }
    float[] t = new float[ni * d];
    Dense.linear(xv, ni, fd, w.value, b.value, d, t, par);
    float[] gT = new float[ni * d];
    double loss = 0;
    for (int k = 0; k < bs; k++) {
      int uo = users[k] * d;
      int po = pos[k] * d;
      int no = neg[k] * d;
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += (double) fin[uo + c] * (t[po + c] - t[no + c]);
      }
      loss -= Dense.logSigmoid(s);
      float cf = (float) (-(1 - Dense.sigmoid(s)) / bs) * reg;
      for (int c = 0; c < d; c++) {
        float fu = fin[uo + c];
        gFin[uo + c] += cf * (t[po + c] - t[no + c]);
        gT[po + c] += cf * fu;
        gT[no + c] -= cf * fu;
      }
    }
    Dense.linearBackward(xv, ni, fd, w.value, d, gT, w.grad, b.grad, xg, par);
    if (m == fusedIndex) {
      fusion.backward();
    }
    return loss / bs;
  }

  @Override
  public FloatMatrix[] factors() {
    float[] all = new float[(nu + ni) * d];
    fullProp.forward(ego.value, all, d, par);
    itemGraphForward();
    float[] h = hs[mmLayers];
    float[] items = Arrays.copyOfRange(all, nu * d, (nu + ni) * d);
    for (int t = 0; t < ni * d; t++) {
      items[t] += h[t];
    }
    return new FloatMatrix[] {new FloatMatrix(nu, d, Arrays.copyOf(all, nu * d)),
        new FloatMatrix(ni, d, items)};
  }
}
