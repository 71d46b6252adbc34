package io.cliprec.pretrain.cpmm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.models.train.NdScalars;

/**
 * CPMM's three loss terms on one batch of projected views ({@code CPMM_main.py main}), all rows already
 * L2-normalised, {@code [B, dim]}:
 *
 * <ul>
 *   <li>{@link #contrastive}: (CE(s · img txtᵀ, diag) + CE(s · txt imgᵀ, diag)) / 2, s = logit scale;
 *   <li>{@link #modalityGap}: (mean_b ||txt_b - id_b|| + mean_b ||img_b - id_b||) / 2;
 *   <li>{@link #coInteraction}: mean over the B x B block of BCEWithLogits(s · id idᵀ, A), A the batch's
 *       co-interaction adjacency with self-loops.
 * </ul>
 *
 * Total = λ1 · contrastive + λ2 · gap + λ3 · co-interaction.
 */
public final class CpmmLoss {
  private CpmmLoss() {}

  /** Symmetric InfoNCE with the diagonal as positives. */
  public static NDArray contrastive(NDArray img, NDArray txt, float scale) {
    NDArray logits = NdScalars.mul(img.matMul(txt.transpose()), scale);
    long b = logits.getShape().get(0);
    NDArray eye = logits.getManager().eye((int) b);
    NDArray a = NdScalars.div(logits.logSoftmax(1).mul(eye).sum(), -(float) b);
    NDArray c = NdScalars.div(logits.transpose().logSoftmax(1).mul(eye).sum(), -(float) b);
    return NdScalars.div(a.add(c), 2f);
  }

  /** Mean Euclidean distance of text and image rows to the ID rows, averaged over the two. */
  public static NDArray modalityGap(NDArray img, NDArray txt, NDArray ids) {
    NDArray t = txt.sub(ids).square().sum(new int[] {1}).add(1e-12f).sqrt().mean();
    NDArray i = img.sub(ids).square().sum(new int[] {1}).add(1e-12f).sqrt().mean();
    return NdScalars.div(t.add(i), 2f);
  }

  /**
   * BCEWithLogits (mean) of {@code scale · ids idsᵀ} against {@code adjacency} ({@code [B * B]}
   * row-major, 0/1), computed stably as max(z,0) - z a + log(1 + exp(-|z|)).
   */
  public static NDArray coInteraction(NDManager m, NDArray ids, float[] adjacency, float scale) {
    long b = ids.getShape().get(0);
    NDArray z = NdScalars.mul(ids.matMul(ids.transpose()), scale);
    NDArray a = m.create(adjacency, new Shape(b, b));
    return NdScalars.maximum(z, 0f).sub(z.mul(a)).add(z.abs().neg().exp().add(1f).log()).mean();
  }
}
