package io.cliprec.models.mm;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Synthetic item features that carry the cluster signal of {@code TestData.clustered}. */
public final class MmTestData {
  private MmTestData() {}

  /**
   * Two modalities for {@code clusters * perCluster} items (item i in cluster i / perCluster):
   * {@code image [n, 8]}: a random cluster centroid plus N(0, 0.3²) noise; {@code text [n, 6]}: another
   * random centroid plus noise.
   */
  public static ItemFeatures clusterFeatures(int clusters, int perCluster, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    m.put("image", noisyCentroids(clusters, perCluster, 8, rng));
    m.put("text", noisyCentroids(clusters, perCluster, 6, rng));
    return new ItemFeatures(m, Map.of("encoder", "synthetic"));
  }

  private static FloatMatrix noisyCentroids(int clusters, int perCluster, int dim, SplittableRandom rng) {
    float[][] cent = new float[clusters][dim];
    for (float[] c : cent) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) rng.nextGaussian();
      }
    }
    int n = clusters * perCluster;
    float[] x = new float[n * dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = cent[i / perCluster][j] + (float) (0.3 * rng.nextGaussian());
      }
    }
    return new FloatMatrix(n, dim, x);
  }
}
