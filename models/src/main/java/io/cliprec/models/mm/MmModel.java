package io.cliprec.models.mm;

import io.cliprec.core.features.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A multimodal model's state and math for {@link MmTrainer}: parameters, MMRec's per-epoch hook, the
 * batch loss with its closed-form gradient, and the final factors used for full ranking. Not thread-safe.
 */
public interface MmModel {
  /** Every trainable tensor (fixed list, in a stable order). */
  List<Param> params();

  /** MMRec's {@code pre_epoch_processing} before epoch {@code epoch} (0-based). */
  void preEpoch(int epoch, SplittableRandom rng);

  /**
   * Loss of the batch of (user, positive item, negative item) triples (all length B, dense indices);
   * adds its gradient to every {@link Param#grad} (the caller zeroes them first).
   */
  double batch(int[] users, int[] pos, int[] neg);

  /** Final factors for full ranking: {@code [0]} users {@code [numUsers, D]}, {@code [1]} items {@code [numItems, D]}. */
  FloatMatrix[] factors();
}
