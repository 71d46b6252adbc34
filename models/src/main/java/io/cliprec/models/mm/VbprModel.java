package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.train.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * VBPR as MMRec's {@code models/vbpr.py}. Parameters: user embeddings {@code U [numUsers, 2d]}
 * (xavier-uniform), item ID embeddings {@code I [numItems, d]} (xavier-uniform), and the item linear layer
 * {@code W [F, d]}, {@code b [d]} (xavier-normal, bias 0) over the frozen concatenated modalities
 * {@code X [numItems, F]}. Item vector {@code [I_i, X_i·W + b]} ({@code 2d}), score = user · item.
 * Loss per batch of B triples: {@code -mean log(1e-10 + σ(s_up - s_un)) + reg_weight · (‖U_b‖ + ‖P_b‖ +
 * ‖N_b‖) / B} (MMRec's BPRLoss + EmbLoss: Frobenius norms of the batch's user / positive / negative item
 * vectors). Gradients in closed form.
 *
 * <p>With a trainable text fusion ({@link TextFusion}, {@code text_fusion: mlp|attention}) the text
 * columns of X are the fusion layer's output (view dimension D), recomputed before every batch, and the
 * loss gradient flows through the item linear layer into the fusion parameters.
 */
final class VbprModel implements MmModel {
  private final int nu;
  private final int ni;
  private final int d;
  private final int fin;
  private final float reg;
  private final float[] x;
  private final Param user;
  private final Param item;
  private final Param w;
  private final Param b;
  private final Parallel par;
  private final float[] proj;
  private final float[] gProj;
  private final TextFusion fusion;
  private final int textOff;

  VbprModel(Dataset data, Config cfg, ItemFeatures f, Parallel par, SplittableRandom rng) {
    this.nu = data.numUsers();
    this.ni = data.numItems();
    this.d = cfg.getInt("embedding_size");
    this.reg = (float) cfg.getDouble("reg_weight");
    this.par = par;
    List<String> names = new ArrayList<>(f.names());
    fusion = TextFusion.of(cfg, f, TextFusion.modality(cfg), ni, par, rng);
    if (fusion == null) {
      FloatMatrix cat = f.concat(names);
      this.x = cat.data();
      this.fin = cat.cols();
      textOff = -1;
    } else {
      // the text columns of X are the fusion layer's output, refreshed before every use
      String text = TextFusion.modality(cfg);
      int off = 0;
      int total = 0;
      for (String n : names) {
        if (n.equals(text)) {
          off = total;
        }
        total += n.equals(text) ? fusion.dim() : f.get(n).cols();
      }
      textOff = off;
      this.fin = total;
      this.x = new float[ni * total];
      int o = 0;
      for (String n : names) {
        int w = n.equals(text) ? fusion.dim() : f.get(n).cols();
        if (!n.equals(text)) {
          float[] src = f.get(n).data();
          for (int i = 0; i < ni; i++) {
            System.arraycopy(src, i * w, x, i * total + o, w);
          }
        }
        o += w;
      }
    }
    user = new Param("u_embedding", new float[nu * 2 * d]);
    item = new Param("i_embedding", new float[ni * d]);
    w = new Param("item_linear.weight", new float[fin * d]);
    b = new Param("item_linear.bias", new float[d]);
    Dense.xavierUniform(user.value, 0, nu, 2 * d, rng);
    Dense.xavierUniform(item.value, 0, ni, d, rng);
    Dense.xavierNormal(w.value, 0, d, fin, rng);
    proj = new float[ni * d];
    gProj = new float[ni * d];
  }

  @Override
  public List<Param> params() {
    List<Param> ps = new ArrayList<>(List.of(user, item, w, b));
    if (fusion != null) {
      ps.addAll(fusion.params());
    }
    return ps;
  }

  /** Refreshes the text columns of X from the fusion layer. */
  private void fuse() {
    if (fusion == null) {
      return;
    }
    fusion.forward();
    int td = fusion.dim();
    float[] t = fusion.output();
    for (int i = 0; i < ni; i++) {
      System.arraycopy(t, i * td, x, i * fin + textOff, td);
    }
  }

  @Override
  public void preEpoch(int epoch, SplittableRandom rng) {}

  /** Item vector of i into {@code out[o .. o+2d)}. */
  private void itemVec(int i, float[] out, int o) {
    System.arraycopy(item.value, i * d, out, o, d);
    System.arraycopy(proj, i * d, out, o + d, d);
  }

  @Override
  public double batch(int[] users, int[] pos, int[] neg) {
    fuse();
    Dense.linear(x, ni, fin, w.value, b.value, d, proj, par);
    int bs = users.length;
    int dd = 2 * d;
    float[] eu = new float[bs * dd];
    float[] ep = new float[bs * dd];
    float[] en = new float[bs * dd];
    for (int k = 0; k < bs; k++) {
      System.arraycopy(user.value, users[k] * dd, eu, k * dd, dd);
      itemVec(pos[k], ep, k * dd);
      itemVec(neg[k], en, k * dd);
    }
    double nU = norm(eu);
    double nP = norm(ep);
    double nN = norm(en);
    double mf = 0;
    Arrays.fill(gProj, 0f);
    float ku = nU > 0 ? (float) (reg / (nU * bs)) : 0f;
    float kp = nP > 0 ? (float) (reg / (nP * bs)) : 0f;
    float kn = nN > 0 ? (float) (reg / (nN * bs)) : 0f;
    for (int k = 0; k < bs; k++) {
      int o = k * dd;
      double s = Dense.dot(eu, o, ep, o, dd) - Dense.dot(eu, o, en, o, dd);
      double sig = Dense.sigmoid(s);
      mf -= Math.log(1e-10 + sig);
      float c = (float) (-sig * (1 - sig) / ((1e-10 + sig) * bs));
      int uo = users[k] * dd;
      for (int j = 0; j < dd; j++) {
        user.grad[uo + j] += c * (ep[o + j] - en[o + j]) + ku * eu[o + j];
      }
      addItemGrad(pos[k], eu, ep, o, c, kp);
      addItemGrad(neg[k], eu, en, o, -c, kn);
    }
    float[] gx = fusion == null ? null : new float[ni * fin];
    Dense.linearBackward(x, ni, fin, w.value, d, gProj, w.grad, b.grad, gx, par);
    if (fusion != null) {
      int td = fusion.dim();
      float[] gt = fusion.outputGrad();
      for (int i = 0; i < ni; i++) {
        System.arraycopy(gx, i * fin + textOff, gt, i * td, td);
      }
      fusion.backward();
    }
    return mf / bs + reg * (nU + nP + nN) / bs;
  }

  private void addItemGrad(int i, float[] eu, float[] e, int o, float c, float k) {
    int io = i * d;
    for (int j = 0; j < d; j++) {
      item.grad[io + j] += c * eu[o + j] + k * e[o + j];
      gProj[io + j] += c * eu[o + d + j] + k * e[o + d + j];
    }
  }

  private static double norm(float[] a) {
    double s = 0;
    for (float v : a) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  @Override
  public FloatMatrix[] factors() {
    fuse();
    Dense.linear(x, ni, fin, w.value, b.value, d, proj, par);
    float[] items = new float[ni * 2 * d];
    for (int i = 0; i < ni; i++) {
      itemVec(i, items, i * 2 * d);
    }
    return new FloatMatrix[] {new FloatMatrix(nu, 2 * d, user.value.clone()),
        new FloatMatrix(ni, 2 * d, items)};
  }
}
