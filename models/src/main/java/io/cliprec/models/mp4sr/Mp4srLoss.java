package io.cliprec.models.mp4sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.models.train.NdScalars;

/**
 * MP4SR's pre-training losses (lzz0007/MP4SR {@code mp4sr.py}, {@code proj: False} branch), on unit
 * vectors with temperature τ:
 *
 * <ul>
 *   <li>{@link #nip} (next-item prediction, sequence → item): for sequence i with target item t_i,
 *       {@code -log( exp(s_i·e_i/τ) / Σ_j exp(s_i·e_j/τ) )} over the batch's targets e_j, mean over i;
 *   <li>{@link #cmcl} (cross-modality contrastive, sequence → sequence, NT-Xent): for the text view a_i,
 *       {@code -log( exp(a_i·b_i/τ) / (Σ_j exp(a_i·b_j/τ) + Σ_{j≠i} exp(a_i·a_j/τ)) )}, the same with b as
 *       anchor, the two means averaged.
 * </ul>
 *
 * Duplicate targets: batch entries j ≠ i whose next item equals i's are false negatives. They are removed
 * from the denominators (intended behaviour). {@code referenceMask = true} reproduces the reference,
 * which sets their logits to 0 and so leaves {@code exp(0) = 1} in each denominator. The reference's
 * image-anchored NT-Xent term also reuses the text-anchored row sums Σ_j exp(a_i·b_j/τ) instead of
 * Σ_j exp(b_i·a_j/τ); {@code referenceCmclRows = true} reproduces that.
 */
public final class Mp4srLoss {
  /** Added to removed logits: exp(-1e4) is 0 in float32 at any τ ≥ 0.01 with unit vectors. */
  static final float REMOVED = -1e4f;

  private Mp4srLoss() {}

  /**
   * {@code [B, B]} row-major: 1 where j ≠ i and {@code targets[j] == targets[i]}.
   */
  public static float[] sameTargetMask(int[] targets) {
    int b = targets.length;
    float[] out = new float[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        out[i * b + j] = i != j && targets[i] == targets[j] ? 1f : 0f;
      }
    }
    return out;
  }

  /**
   * Next-item InfoNCE.
   *
   * @param seq sequence representations {@code [B, d]}, unit rows
   * @param pos target item representations {@code [B, d]}, unit rows
   * @param same {@link #sameTargetMask} {@code [B * B]}
   * @return scalar mean loss
   */
  public static NDArray nip(NDManager m, NDArray seq, NDArray pos, float[] same, double tau,
      boolean referenceMask) {
    int b = Math.toIntExact(seq.getShape().get(0));
    NDArray mask = m.create(same, new Shape(b, b));
    NDArray logits = mask(NdScalars.div(seq.matMul(pos.transpose()), (float) tau), mask, referenceMask);
    return diagonal(m, logits.logSoftmax(1), b).neg().mean();
  }

  /**
   * Cross-modality NT-Xent between two views of the same sequences.
   *
   * @param a text-view sequence representations {@code [B, d]}, unit rows
   * @param b image-view sequence representations {@code [B, d]}, unit rows
   * @return scalar {@code (mean loss_a + mean loss_b) / 2}
   */
  public static NDArray cmcl(NDManager m, NDArray a, NDArray b, float[] same, double tau,
      boolean referenceMask, boolean referenceCmclRows) {
    int n = Math.toIntExact(a.getShape().get(0));
    NDArray mask = m.create(same, new Shape(n, n));
    float t = (float) tau;
    NDArray self = NdScalars.mul(m.eye(n), REMOVED);
    NDArray ab = mask(NdScalars.div(a.matMul(b.transpose()), t), mask, referenceMask);
    NDArray aa = mask(NdScalars.div(a.matMul(a.transpose()), t), mask, referenceMask).add(self);
    NDArray bb = mask(NdScalars.div(b.matMul(b.transpose()), t), mask, referenceMask).add(self);
    NDArray ba = referenceCmclRows ? ab : mask(NdScalars.div(b.matMul(a.transpose()), t), mask, referenceMask);
    // log of exp(a_i·b_i/τ) / denominator: the positive sits on the diagonal of the first block (for the
    // b anchor b_i·a_i = a_i·b_i, so the reference's reuse of the ab rows keeps the same positive)
    NDArray la = diagonal(m, ab.concat(aa, 1).logSoftmax(1).get(":, :" + n), n);
    NDArray lb = diagonal(m, ba.concat(bb, 1).logSoftmax(1).get(":, :" + n), n);
    return NdScalars.div(la.neg().mean().add(lb.neg().mean()), 2f);
  }

  private static NDArray mask(NDArray logits, NDArray mask, boolean reference) {
    return reference ? logits.mul(mask.neg().add(1f)) : logits.add(NdScalars.mul(mask, REMOVED));
  }

  private static NDArray diagonal(NDManager m, NDArray x, int n) {
    return x.mul(m.eye(n)).sum(new int[] {1});
  }
}
