package io.cliprec.models.mp4sr;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MP4SR's sequence augmentations (lzz0007/MP4SR {@code mp4sr.py}), seeded by the caller's stream.
 *
 * <ul>
 *   <li>{@link #itemDrop}: each item of a sequence is removed with probability p (the caller draws
 *       p ~ U(0, 0.2) once per batch, {@code item_seq_rand_drop}); the first (oldest) item is always
 *       kept so no sequence becomes empty. The reference scatters kept items over the dropped ones, which
 *       can keep a dropped item in place of the kept one before it; here the kept items keep their
 *       order exactly.
 *   <li>{@link #mixupMask}: complementary sequence mixup ({@code seq_mixup}): a Bernoulli(p) mask over
 *       the real positions (p ~ U(0, 0.5) per batch); where it is 1 the text view takes the image vector
 *       and the image view the text vector.
 * </ul>
 */
public final class Mp4srAugment {
  private Mp4srAugment() {}

  /** {@code seq} without the items a Bernoulli(p) draw drops; {@code seq[0]} always stays. */
  public static int[] itemDrop(int[] seq, double p, SplittableRandom rng) {
    if (p <= 0 || seq.length <= 1) {
      return seq;
    }
    int[] out = new int[seq.length];
    int n = 0;
    for (int i = 0; i < seq.length; i++) {
      if (i == 0 || rng.nextDouble() >= p) {
        out[n++] = seq[i];
      }
    }
    return n == seq.length ? seq : Arrays.copyOf(out, n);
  }

  /**
   * Swap mask {@code [B * len]} for left-padded {@code ids}: 1 with probability {@code p} at real
   * positions, 0 at padding.
   */
  public static float[] mixupMask(int[] ids, double p, SplittableRandom rng) {
    float[] out = new float[ids.length];
    if (p <= 0) {
      return out;
    }
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i] > 0 && rng.nextDouble() < p ? 1f : 0f;
    }
    return out;
  }
}
