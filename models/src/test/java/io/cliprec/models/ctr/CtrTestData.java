package io.cliprec.models.ctr;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.ItemAttributes;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import java.util.Map;
import java.util.SplittableRandom;

/** Synthetic labelled CTR data whose labels need a user &times; item interaction to predict. */
final class CtrTestData {
  private CtrTestData() {}

  static int group(int id, int groups) {
    return id % groups;
  }

  /**
   * {@code users} users and {@code items} items in {@code groups} groups (id % groups); every user gets
   * {@code perUser} rows with uniform random items, label 1 iff user and item share a group (each label
   * flipped with probability {@code noise}). Rows go to train / valid / test 70/15/15 at random; item
   * attribute {@code class} = item % 3 (unrelated to the label). With {@code coldItems}, items with
   * {@code id >= items - coldItems} appear only in valid and test.
   */
  static Dataset labelled(int users, int items, int groups, int perUser, double noise, int coldItems,
      long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = users * perUser;
    int[][] u = new int[3][n];
    int[][] it = new int[3][n];
    float[][] y = new float[3][n];
    int[] cnt = new int[3];
    for (int a = 0; a < users; a++) {
      for (int k = 0; k < perUser; k++) {
        int i = rng.nextInt(items);
        float lab = group(a, groups) == group(i, groups) ? 1f : 0f;
        if (rng.nextDouble() < noise) {
          lab = 1f - lab;
        }
        double r = rng.nextDouble();
        int s = r < 0.7 ? 0 : r < 0.85 ? 1 : 2;
        if (i >= items - coldItems && s == 0) {
          s = 1 + rng.nextInt(2);
        }
        u[s][cnt[s]] = a;
        it[s][cnt[s]] = i;
        y[s][cnt[s]++] = lab;
      }
    }
    Interactions[] parts = new Interactions[3];
    for (int s = 0; s < 3; s++) {
      parts[s] = new Interactions(java.util.Arrays.copyOf(u[s], cnt[s]),
          java.util.Arrays.copyOf(it[s], cnt[s]), null, null, java.util.Arrays.copyOf(y[s], cnt[s]));
    }
    ItemAttributes.Builder attrs = ItemAttributes.builder(items);
    for (int i = 0; i < items; i++) {
      attrs.set(i, "class", Integer.toString(i % 3));
    }
    return new Dataset("ctr-synthetic", IdIndex.identity(users), IdIndex.identity(items), parts[0],
        parts[1], parts[2], Protocol.CTR, Map.of(), attrs.build());
  }

  /** Features {@code [items, dim]}: a noisy one-hot of the item's group in the first columns. */
  static ItemFeatures groupFeatures(int items, int groups, int dim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] f = new float[items * dim];
    for (int i = 0; i < items; i++) {
      for (int d = 0; d < dim; d++) {
        f[i * dim + d] = (float) (0.1 * (rng.nextDouble() - 0.5));
      }
      f[i * dim + group(i, groups)] += 1f;
    }
    return new ItemFeatures(Map.of("image", new FloatMatrix(items, dim, f)), Map.of());
  }
}
