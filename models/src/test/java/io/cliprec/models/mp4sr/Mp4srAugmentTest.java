package io.cliprec.models.mp4sr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded statistics of item drop and the mixup mask. */
class Mp4srAugmentTest {
  @Test
  void itemDropRemovesAboutPKeepsOrderAndTheFirstItem() {
    SplittableRandom rng = new SplittableRandom(7);
    int[] seq = new int[50];
    for (int i = 0; i < seq.length; i++) {
      seq[i] = i + 1;
    }
    double p = 0.15;
    long kept = 0;
    int trials = 2000;
    for (int t = 0; t < trials; t++) {
      int[] out = Mp4srAugment.itemDrop(seq, p, rng);
      assertEquals(1, out[0]);
      for (int k = 1; k < out.length; k++) {
        assertEquals(true, out[k] > out[k - 1], "order kept");
      }
      kept += out.length - 1;
    }
    double dropRate = 1 - kept / (double) (trials * 49L);
    assertEquals(p, dropRate, 0.01); // 98,000 Bernoulli draws: std 0.0011
    assertSame(seq, Mp4srAugment.itemDrop(seq, 0, rng));
    assertArrayEquals(new int[] {9}, Mp4srAugment.itemDrop(new int[] {9}, 0.9, rng));
  }

  @Test
  void itemDropIsReproducibleFromTheSeed() {
    int[] seq = {5, 6, 7, 8, 9, 10, 11};
    assertArrayEquals(Mp4srAugment.itemDrop(seq, 0.5, new SplittableRandom(3)),
        Mp4srAugment.itemDrop(seq, 0.5, new SplittableRandom(3)));
  }

  @Test
  void mixupMaskHitsRealPositionsWithProbabilityPAndNeverPadding() {
    SplittableRandom rng = new SplittableRandom(11);
    int[] ids = new int[40];
    for (int i = 10; i < 40; i++) {
      ids[i] = i; // 10 padding columns, then 30 real items
    }
    double p = 0.3;
    long ones = 0;
    int trials = 3000;
    for (int t = 0; t < trials; t++) {
      float[] mk = Mp4srAugment.mixupMask(ids, p, rng);
      for (int i = 0; i < 10; i++) {
        assertEquals(0f, mk[i]);
      }
      for (int i = 10; i < 40; i++) {
        ones += (long) mk[i];
      }
    }
    assertEquals(p, ones / (double) (trials * 30L), 0.01);
    float[] none = Mp4srAugment.mixupMask(ids, 0, rng);
    assertArrayEquals(new float[40], none);
  }
}
