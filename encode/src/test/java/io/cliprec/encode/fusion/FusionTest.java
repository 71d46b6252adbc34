package io.cliprec.encode.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FusionTest {
  // V=2 views, N=2 items, D=2. views[k][i]:
  // view0: item0 (1,0), item1 (0,2); view1: item0 (0,1), item1 (3,4)
  static final float[] VIEWS = {1, 0, 0, 2, 0, 1, 3, 4};
  // images: item0 (1,0), item1 (0,1)
  static final float[] IMAGE = {1, 0, 0, 1};

  @Test
  void similarityIsCosineOverTau() {
    float[] s = ViewSimilarity.compute(VIEWS, 2, 2, 2, IMAGE, null, 0.1);
    // item0: cos((1,0),(1,0)) = 1 -> 10; cos((0,1),(1,0)) = 0 -> 0
    // item1: cos((0,2),(0,1)) = 1 -> 10; cos((3,4),(0,1)) = 0.8 -> 8
    assertArrayEquals(new float[] {10, 0, 10, 8}, s, 1e-5f);
  }

  @Test
  void itemsWithoutImageGetZeroSimilarity() {
    float[] s = ViewSimilarity.compute(VIEWS, 2, 2, 2, IMAGE, new boolean[] {true, false}, 0.5);
    assertArrayEquals(new float[] {2, 0, 0, 0}, s, 1e-5f);
    assertThrows(IllegalArgumentException.class, () -> ViewSimilarity.compute(VIEWS, 2, 2, 2, IMAGE, null, 0));
  }

  @Test
  void sumAndConcat() {
    assertArrayEquals(new float[] {1, 1, 3, 6}, Fusion.SUM.apply(VIEWS, 2, 2, 2, null), 0f);
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 2, 3, 4}, Fusion.CONCAT.apply(VIEWS, 2, 2, 2, null), 0f);
    assertEquals(4, Fusion.CONCAT.outputDim(2, 2));
  }

  @Test
  void attentionIsSoftmaxWeightedSum() {
    float[] sim = {0, (float) Math.log(3), 1, 1}; // item0 weights 1/4, 3/4; item1 1/2, 1/2
    float[] out = Fusion.ATTENTION.apply(VIEWS, 2, 2, 2, sim);
    assertArrayEquals(new float[] {0.25f, 0.75f, 1.5f, 3f}, out, 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> Fusion.ATTENTION.apply(VIEWS, 2, 2, 2, null));
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    float[] w = Fusion.softmaxRows(new float[] {1000, 1000}, 1, 2);
    assertArrayEquals(new float[] {0.5f, 0.5f}, w, 1e-6f);
    assertEquals(Fusion.ATTENTION, Fusion.parse(" Attention "));
    assertThrows(IllegalArgumentException.class, () -> Fusion.parse("mlp"));
  }
}
