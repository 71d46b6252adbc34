package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.train.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * CLIPER's fusion layer as a trainable input layer of a multimodal backbone: turns the per-view text
 * {@code t_ik} ({@link TextViews}, {@code [V, N, D]}) into the text modality {@code x_i [N, D]} the backbone
 * consumes, trained end-to-end with the backbone's loss (config key {@code text_fusion}):
 *
 * <ul>
 *   <li>{@code fixed} (default): no layer; the backbone uses the fused text file as it is (encode-time
 *       SUM / CONCAT / ATTENTION).
 *   <li>{@code mlp}: {@code x_i = LeakyReLU_0.01(W [t_i1; ...; t_iV] + b)}, {@code W [V·D, D]}, torch's
 *       default {@code nn.Linear} init: CLIPER's one-layer MLP ({@code abstract_recommender.py},
 *       {@code text_type == 'MLP'}) which CLIPER's code applies once at model construction with random
 *       weights and never trains (the result is a plain tensor); here W and b are trained.
 *   <li>{@code mlp-frozen}: CLIPER's code as it is: the same random MLP, applied once, not trained.
 *   <li>{@code attention}: {@code x_i = Σ_k a_ik t_ik}, {@code a_ik = softmax_k(β s_ik + c_k + q·t_ik)}
 *       with {@code s_ik = cos(t_ik, v_i)/τ} from {@code sim.npy} (CLIPER's similarity attention, the
 *       paper's "SA"), a learned inverse-temperature scale {@code β} (init 1, so training starts exactly at
 *       the encode-time attention with the encode τ), learned per-view biases {@code c [V]} (init 0) and a
 *       learned content query {@code q [D]} (init 0). Without {@code sim.npy} (text not in the image's CLIP
 *       space, e.g. MiniLM) the {@code β s} term is absent and training starts from the mean of the views.
 * </ul>
 *
 * <p>{@link #forward()} writes {@link #output()} {@code [N, D]} from the current parameters; the backbone
 * accumulates {@code ∂L/∂x} into {@link #outputGrad()} (zeroed by {@link #forward()}) and calls
 * {@link #backward()}, which adds the parameter gradients to {@link #params()}. Not thread-safe.
 */
final class TextFusion {
  /** The {@code text_fusion} modes. */
  enum Mode {
    FIXED, MLP, MLP_FROZEN, ATTENTION;

    static Mode parse(String s) {
      String t = s == null ? "fixed" : s.trim().toLowerCase(Locale.ROOT);
      switch (t) {
        case "fixed":
          return FIXED;
        case "mlp":
          return MLP;
        case "mlp-frozen":
          return MLP_FROZEN;
        case "attention":
          return ATTENTION;
        default:
          throw new IllegalArgumentException("text_fusion must be fixed, mlp, mlp-frozen or attention, got '"
              + s + "'");
      }
    }
  }

  static final float LEAKY_SLOPE = 0.01f;
  private final Mode mode;
  private final TextViews tv;
  private final int n;
  private final int v;
  private final int dim;
  private final Parallel par;
  private final List<Param> params = new ArrayList<>();
  private final float[] out;
  private final float[] gOut;
  // MLP
  private float[] cat;
  private Param w;
  private Param b;
  private float[] pre;
  private boolean frozenDone;
  // attention
  private Param beta;
  private Param bias;
  private Param query;
  private float[] att;

  TextFusion(Mode mode, TextViews tv, Parallel par, SplittableRandom rng) {
    if (mode == Mode.FIXED) {
      throw new IllegalArgumentException("fixed fusion has no input layer");
    }
    this.mode = mode;
    this.tv = tv;
    this.n = tv.numItems();
    this.v = tv.numViews();
    this.dim = tv.dim();
    this.par = par;
    out = new float[n * dim];
    gOut = new float[n * dim];
    if (mode == Mode.MLP || mode == Mode.MLP_FROZEN) {
      int in = v * dim;
      cat = new float[n * in];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < v; k++) {
          System.arraycopy(tv.views(), tv.offset(i, k), cat, i * in + k * dim, dim);
        }
      }
      w = new Param("text_fusion.mlp.weight", new float[in * dim]);
      b = new Param("text_fusion.mlp.bias", new float[dim]);
      Dense.torchLinearInit(w.value, b.value, in, rng);
      pre = new float[n * dim];
      if (mode == Mode.MLP) {
        params.add(w);
        params.add(b);
      }
    } else {
      if (tv.sim() != null) {
        beta = new Param("text_fusion.attention.beta", new float[] {1f});
        params.add(beta);
      }
      bias = new Param("text_fusion.attention.view_bias", new float[v]);
      query = new Param("text_fusion.attention.query", new float[dim]);
      params.add(bias);
      params.add(query);
      att = new float[n * v];
    }
  }

  /**
   * The input layer of {@code model}'s text modality {@code modality} as configured by {@code text_fusion}
   * (and {@code text_views}, see {@link TextViews#locate}), or null for {@code fixed}.
   */
  static TextFusion of(Config cfg, ItemFeatures f, String modality, int numItems, Parallel par,
      SplittableRandom rng) {
    Mode m = Mode.parse(cfg.getString("text_fusion", "fixed"));
    if (m == Mode.FIXED) {
      return null;
    }
    if (!f.has(modality)) {
      throw new IllegalArgumentException("text_fusion " + cfg.getString("text_fusion", "") + " fuses the '"
          + modality + "' modality (text_modality), which is not among the selected features " + f.names());
    }
    return new TextFusion(m, TextViews.locate(cfg, f, modality, numItems), par, rng.split());
  }

  /** Name of the configured text modality ({@code text_modality}, default {@code text}). */
  static String modality(Config cfg) {
    return cfg.getString("text_modality", "text");
  }

  Mode mode() {
    return mode;
  }

  /** Output width D (the view dimension). */
  int dim() {
    return dim;
  }

  /** Trainable tensors (empty for {@code mlp-frozen}). */
  List<Param> params() {
    return params;
  }

  /** {@code [N, D]}: the fused text after the last {@link #forward()}. */
  float[] output() {
    return out;
  }

  /** {@code [N, D]}: where the backbone adds {@code ∂L/∂output}. */
  float[] outputGrad() {
    return gOut;
  }

  /** Recomputes {@link #output()} and zeroes {@link #outputGrad()}. */
  void forward() {
    java.util.Arrays.fill(gOut, 0f);
    if (mode == Mode.MLP_FROZEN && frozenDone) {
      return;
    }
    if (mode == Mode.MLP || mode == Mode.MLP_FROZEN) {
      Dense.linear(cat, n, v * dim, w.value, b.value, dim, pre, par);
      for (int t = 0; t < out.length; t++) {
        float z = pre[t];
        out[t] = z > 0 ? z : LEAKY_SLOPE * z;
      }
      frozenDone = true;
      return;
    }
    float[] views = tv.views();
    float[] sim = tv.sim();
    double[] s = new double[v];
    for (int i = 0; i < n; i++) {
      double mx = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        double e = bias.value[k] + Dense.dot(query.value, 0, views, tv.offset(i, k), dim);
        if (sim != null) {
          e += beta.value[0] * sim[i * v + k];
        }
        s[k] = e;
        mx = Math.max(mx, e);
      }
      double z = 0;
      for (int k = 0; k < v; k++) {
        s[k] = Math.exp(s[k] - mx);
        z += s[k];
      }
      int o = i * dim;
      java.util.Arrays.fill(out, o, o + dim, 0f);
      for (int k = 0; k < v; k++) {
        float a = (float) (s[k] / z);
        att[i * v + k] = a;
        int to = tv.offset(i, k);
        for (int c = 0; c < dim; c++) {
          out[o + c] += a * views[to + c];
        }
      }
    }
  }

  /** Adds the parameter gradients given {@link #outputGrad()} (no-op for {@code mlp-frozen}). */
  void backward() {
    if (mode == Mode.MLP_FROZEN) {
      return;
    }
    if (mode == Mode.MLP) {
      float[] gz = new float[n * dim];
      for (int t = 0; t < gz.length; t++) {
        gz[t] = pre[t] > 0 ? gOut[t] : LEAKY_SLOPE * gOut[t];
      }
      Dense.linearBackward(cat, n, v * dim, w.value, dim, gz, w.grad, b.grad, null, par);
      return;
    }
    float[] views = tv.views();
    float[] sim = tv.sim();
    double[] ga = new double[v];
    double gBeta = 0;
    double[] gBias = new double[v];
    double[] gq = new double[dim];
    for (int i = 0; i < n; i++) {
      int o = i * dim;
      boolean live = false;
      for (int c = 0; c < dim && !live; c++) {
        live = gOut[o + c] != 0f;
      }
      if (!live) {
        continue;
      }
      double mean = 0;
      for (int k = 0; k < v; k++) {
        ga[k] = Dense.dot(gOut, o, views, tv.offset(i, k), dim);
        mean += att[i * v + k] * ga[k];
      }
      for (int k = 0; k < v; k++) {
        double gs = att[i * v + k] * (ga[k] - mean);
        gBias[k] += gs;
        if (sim != null) {
          gBeta += gs * sim[i * v + k];
        }
        int to = tv.offset(i, k);
        for (int c = 0; c < dim; c++) {
          gq[c] += gs * views[to + c];
        }
      }
    }
    if (beta != null) {
      beta.grad[0] += (float) gBeta;
    }
    for (int k = 0; k < v; k++) {
      bias.grad[k] += (float) gBias[k];
    }
    for (int c = 0; c < dim; c++) {
      query.grad[c] += (float) gq[c];
    }
  }

  /** The attention weights {@code [N, V]} of the last forward (attention mode; for tests and reports). */
  float[] attention() {
    return att;
  }
}
