package io.cliprec.models.mp4sr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.seq.SeqFactorModel;
import io.cliprec.models.seq.UserSequences;
import java.util.Arrays;
import java.util.Map;

/**
 * MP4SR's ranking score ({@code full_sort_predict}) as a factor model:
 * {@code score(u, i) = cos(s_t(u), e_t(i)) + cos(s_v(u), e_v(i))} with {@code e_m(i) = MoE_m(i)} (+ the
 * ID embedding when fine-tuning) equals the dot product of {@code [ŝ_t, ŝ_v]} and {@code [ê_t, ê_v]}
 * (unit halves), so user and item factors are {@code 2d} wide and the fused top-K kernel ranks them. The
 * final fine-tuned model also carries its {@link Mp4srSessionEncoder} (anonymous sessions at serving time).
 */
public final class Mp4srScoring {
  private Mp4srScoring() {}

  /** Rows scaled to unit L2 norm (F.normalize, eps 1e-12), as {@code [rows, d]}. */
  static NDArray unit(NDArray x) {
    return x.normalize(2, 1, 1e-12);
  }

  /**
   * The current weights as a model (inference mode: no dropout, no augmentation).
   *
   * @param withId fine-tuning (ID embeddings on input and item side) or pre-training (none)
   * @param both also TEST factors (otherwise the VALID ones stand in)
   */
  public static SeqFactorModel snapshot(Mp4srNet net, UserSequences seqs, boolean withId, String name,
      Config used, TrainingHistory h, boolean both, Map<String, String> prov) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager base = engine.newBaseManager()) {
      FloatMatrix items;
      FloatMatrix uv;
      FloatMatrix ut;
      Mp4srSessionEncoder session = null;
      try (NDManager m = base.newSubManager()) {
        Mp4srNet.Pass pass = net.pass(m, false, false);
        NDArray t = pass.items(Mp4srNet.TEXT);
        NDArray v = pass.items(Mp4srNet.IMAGE);
        if (withId) {
          t = t.add(pass.idTable());
          v = v.add(pass.idTable());
        }
        if (withId && both) { // the final fine-tuned model: also its session encoder for serving
          session = Mp4srSessionEncoder.of(net, t.toFloatArray(), v.toFloatArray());
        }
        NDArray it = unit(t).concat(unit(v), 1).get("1:");
        items = new FloatMatrix(net.numItems(), 2 * net.hidden(), it.toFloatArray());
      }
      uv = users(base, net, seqs, Split.VALID, withId);
      ut = both ? users(base, net, seqs, Split.TEST, withId) : uv;
      return prov == null ? new SeqFactorModel(name, used, h, uv, ut, items)
          : new SeqFactorModel(name, used, h, uv, ut, items, prov, session);
    }
  }

  /** {@code [U, 2d]}: unit text-view and image-view states after each user's history before {@code target}. */
  static FloatMatrix users(NDManager base, Mp4srNet net, UserSequences seqs,
      Split target, boolean withId) {
    int nu = seqs.numUsers();
    int d2 = 2 * net.hidden();
    int maxLen = net.encoder().maxLen();
    float[] out = new float[nu * d2];
    int[][] hist = new int[nu][];
    Integer[] byLen = new Integer[nu];
    for (int u = 0; u < nu; u++) {
      hist[u] = seqs.historyBefore(u, target);
      byLen[u] = u;
    }
    Arrays.sort(byLen, (a, b) -> Integer.compare(hist[a].length, hist[b].length));
    int chunk = 512;
    for (int off = 0; off < nu; off += chunk) {
      int bs = Math.min(chunk, nu - off);
      int len = Math.max(1, Math.min(maxLen, hist[byLen[off + bs - 1]].length));
      int[] ids = new int[bs * len];
      for (int b = 0; b < bs; b++) {
        int[] h = hist[byLen[off + b]];
        UserSequences.padLeft(h, 0, h.length, len, ids, b * len);
      }
      try (NDManager m = base.newSubManager()) {
        Mp4srNet.Pass pass = net.pass(m, false, false); // per chunk: its temporaries die with m
        NDArray st = unit(pass.encodeLast(pass.itemsAt(Mp4srNet.TEXT, ids), ids, bs, len, withId));
        NDArray sv = unit(pass.encodeLast(pass.itemsAt(Mp4srNet.IMAGE, ids), ids, bs, len, withId));
        float[] rows = st.concat(sv, 1).toFloatArray();
        for (int b = 0; b < bs; b++) {
          System.arraycopy(rows, b * d2, out, byLen[off + b] * d2, d2);
        }
      }
    }
    return new FloatMatrix(nu, d2, out);
  }
}
