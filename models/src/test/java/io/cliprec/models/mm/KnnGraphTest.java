package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnnGraphTest {
  private static FloatMatrix random(int n, int d, long seed) {
    return new FloatMatrix(n, d, MmGradientTest.gauss(n * d, new SplittableRandom(seed)));
  }

  @Test
  void matchesBruteForceCosineTopK() {
    FloatMatrix x = random(120, 9, 1);
    KnnGraph g = KnnGraph.of(x, 7, 2);
    assertEquals(7, g.k());
    for (int i = 0; i < x.rows(); i++) {
      double[] cos = new double[x.rows()];
      for (int j = 0; j < x.rows(); j++) {
        cos[j] = cosine(x, i, j);
      }
      Integer[] order = new Integer[x.rows()];
      for (int j = 0; j < order.length; j++) {
        order[j] = j;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(cos[b], cos[a]));
      assertEquals(i, g.idx()[i * 7], "self is the nearest neighbour (as torch.topk on build_sim)");
      for (int t = 0; t < 7; t++) {
        assertEquals((int) order[t], g.idx()[i * 7 + t], "row " + i + " rank " + t);
        assertEquals(cos[order[t]], g.sim()[i * 7 + t], 1e-5);
      }
    }
  }

  private static double cosine(FloatMatrix x, int i, int j) {
    double s = 0;
    double a = 0;
    double b = 0;
    for (int c = 0; c < x.cols(); c++) {
      s += (double) x.get(i, c) * x.get(j, c);
      a += (double) x.get(i, c) * x.get(i, c);
      b += (double) x.get(j, c) * x.get(j, c);
    }
    return s / Math.sqrt(a * b);
  }

  @Test
  void cacheIsKeyedByFeatureValuesModalityAndK(@TempDir Path dir) throws IOException {
    FloatMatrix x = random(50, 4, 2);
    KnnGraph a = KnnGraph.cached(x, "image", 5, dir, 1);
    assertEquals(1, files(dir).size());
    KnnGraph b = KnnGraph.cached(x, "image", 5, dir, 1);
    assertArrayEquals(a.idx(), b.idx());
    assertArrayEquals(a.sim(), b.sim());
    assertEquals(1, files(dir).size(), "second call is a cache hit");
    // same shape, other values (e.g. another encoder): a new key, a different graph
    FloatMatrix y = random(50, 4, 3);
    KnnGraph c = KnnGraph.cached(y, "image", 5, dir, 1);
    assertEquals(2, files(dir).size());
    assertArrayEquals(KnnGraph.of(y, 5, 1).idx(), c.idx());
    assertNotEquals(KnnGraph.hash(x, "image", 5), KnnGraph.hash(x, "text", 5));
    assertNotEquals(KnnGraph.hash(x, "image", 5), KnnGraph.hash(x, "image", 6));
    // a one-ulp change of one value changes the key
    FloatMatrix z = x.copy();
    z.set(7, 1, Math.nextUp(z.get(7, 1)));
    assertNotEquals(KnnGraph.hash(x, "image", 5), KnnGraph.hash(z, "image", 5));
    assertTrue(files(dir).stream().allMatch(p -> p.getFileName().toString().startsWith("knn-image-k5-")));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
