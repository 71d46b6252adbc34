package io.cliprec.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.features.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TopKTest {

  /** Reference: score every item with the same fma chain, drop masked, sort (score desc, NaN last, index asc). */
  static int[] naive(FloatMatrix u, int row, FloatMatrix v, int[] excluded, int k) {
    int d = u.cols();
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < v.rows(); i++) {
      if (excluded != null && Arrays.binarySearch(excluded, i) >= 0) {
        continue;
      }
      float acc = 0f;
      for (int c = 0; c < d; c++) {
        acc = Math.fma(u.get(row, c), v.get(i, c), acc);
      }
      all.add(new float[] {acc, i});
    }
    all.sort((a, b) -> {
      boolean na = Float.isNaN(a[0]);
      boolean nb = Float.isNaN(b[0]);
      if (na != nb) {
        return na ? 1 : -1;
      }
      if (!na && a[0] != b[0]) { // -0.0 == 0.0 here
        return a[0] > b[0] ? -1 : 1;
      }
      return Float.compare(a[1], b[1]);
    });
    int n = Math.min(k, all.size());
    int[] out = new int[n];
    for (int j = 0; j < n; j++) {
      out[j] = (int) all.get(j)[1];
    }
    return out;
  }

  static FloatMatrix random(SplittableRandom r, int rows, int cols, boolean quantized) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = quantized ? r.nextInt(-2, 3) : (float) r.nextGaussian();
    }
    return new FloatMatrix(rows, cols, a);
  }

  static int[] seq(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  static CsrMatrix randomMask(SplittableRandom r, int users, int items, double p) {
    List<int[]> pairs = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        if (r.nextDouble() < p) {
          pairs.add(new int[] {u, i});
        }
      }
    }
    int[] ru = pairs.stream().mapToInt(x -> x[0]).toArray();
    int[] ci = pairs.stream().mapToInt(x -> x[1]).toArray();
    return CsrMatrix.binary(users, items, ru, ci, null);
  }

  @Test
  void tiesGoToLowerIndexAndNaNLast() {
    // d = 1, user = 1: scores = item values
    FloatMatrix u = new FloatMatrix(1, 1, new float[] {1f});
    FloatMatrix v = new FloatMatrix(7, 1, new float[] {2f, Float.NaN, 3f, 2f, -0.0f, 3f, 0.0f});
    for (TopK.Impl impl : impls()) {
      int[][] top = TopK.topK(u, new int[] {0}, v, null, null, 7, 1, impl);
      // 3 (items 2,5), 2 (items 0,3), 0 (items 4 (-0.0), 6 (+0.0): equal), NaN (item 1)
      assertArrayEquals(new int[] {2, 5, 0, 3, 4, 6, 1}, top[0], impl.toString());
      int[][] top3 = TopK.topK(u, new int[] {0}, v, null, null, 3, 1, impl);
      assertArrayEquals(new int[] {2, 5, 0}, top3[0]);
    }
    // all-equal scores: ascending index
    FloatMatrix z = new FloatMatrix(100, 3);
    FloatMatrix uz = new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    for (TopK.Impl impl : impls()) {
      int[][] top = TopK.topK(uz, new int[] {1, 0}, z, null, null, 5, 2, impl);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4}, top[0]);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4}, top[1]);
    }
  }

  @Test
  void maskAndExcludeRemoveItems() {
    FloatMatrix u = new FloatMatrix(2, 1, new float[] {1f, -1f});
    FloatMatrix v = new FloatMatrix(5, 1, new float[] {5, 4, 3, 2, 1});
    // user 0 masks items 0 and 3; user 1 masks item 4
    CsrMatrix mask = CsrMatrix.binary(2, 5, new int[] {0, 0, 1}, new int[] {0, 3, 4}, null);
    for (TopK.Impl impl : impls()) {
      int[][] top = TopK.topK(u, new int[] {0, 1}, v, mask, null, 3, 1, impl);
      assertArrayEquals(new int[] {1, 2, 4}, top[0]);
      assertArrayEquals(new int[] {3, 2, 1}, top[1]); // negated scores: 1 best, masked away
      // extra per-request exclusions (unsorted) merged with the mask
      int[][] ex = TopK.topK(u, new int[] {0, 1}, v, mask, new int[][] {{2, 1}, null}, 5, 1, impl);
      assertArrayEquals(new int[] {4}, ex[0]); // only item 4 left
      assertArrayEquals(new int[] {3, 2, 1, 0}, ex[1]);
    }
  }

  @Test
  void selectOnDenseRow() {
    float[] s = {9, 1, 5, 5, 7, 0};
    assertArrayEquals(new int[] {0, 4, 2}, TopK.select(s, 0, 6, null, 0, 0, 3));
    assertArrayEquals(new int[] {4, 3, 1}, TopK.select(s, 0, 6, new int[] {0, 2, 9}, 0, 2, 3));
    assertArrayEquals(new int[] {1, 0}, TopK.select(s, 3, 3, null, 0, 0, 2)); // items 0..2 = s[3..6) = 5,7,0
  }

  @Test
  void randomizedAgainstNaiveSort() {
    SplittableRandom r = new SplittableRandom(42);
    int[][] shapes = {{37, 13, 203, 20}, {70, 64, 300, 50}, {5, 1, 17, 40}, {9, 8, 1000, 1}, {64, 33, 2000, 10}};
    for (boolean quantized : new boolean[] {false, true}) {
      for (int[] sh : shapes) {
        int nu = sh[0];
        int d = sh[1];
        int ni = sh[2];
        int k = sh[3];
        FloatMatrix u = random(r, nu, d, quantized);
        FloatMatrix v = random(r, ni, d, quantized);
        if (ni > 20) {
          v.set(7, 0, Float.NaN); // one NaN item
        }
        CsrMatrix mask = randomMask(r, nu, ni, 0.1);
        int[] rows = seq(nu);
        // users in shuffled order, with a repeat
        for (int i = nu - 1; i > 0; i--) {
          int j = r.nextInt(i + 1);
          int t = rows[i];
          rows[i] = rows[j];
          rows[j] = t;
        }
        rows[0] = rows[nu - 1];
        for (TopK.Impl impl : impls()) {
          for (int threads : new int[] {1, 2}) {
            int[][] top = TopK.topK(u, rows, v, mask, null, k, threads, impl);
            for (int b = 0; b < nu; b++) {
              int[] expect = naive(u, rows[b], v, mask.row(rows[b]), k);
              assertArrayEquals(expect, top[b],
                  impl + " q=" + quantized + " shape " + Arrays.toString(sh) + " user " + rows[b]);
            }
          }
        }
      }
    }
  }

  @Test
  void vectorAndScalarGiveIdenticalRankingsAndProducts() {
    Assumptions.assumeTrue(TopK.vectorAvailable(), "jdk.incubator.vector absent: skipping");
    SplittableRandom r = new SplittableRandom(7);
    FloatMatrix u = random(r, 130, 64, false);
    FloatMatrix v = random(r, 1111, 64, false);
    CsrMatrix mask = randomMask(r, 130, 1111, 0.01);
    int[][] a = TopK.topK(u, seq(130), v, mask, null, 50, 2, TopK.Impl.VECTOR);
    int[][] b = TopK.topK(u, seq(130), v, mask, null, 50, 2, TopK.Impl.SCALAR);
    for (int i = 0; i < 130; i++) {
      assertArrayEquals(b[i], a[i]);
    }
    float[] pa = new float[130 * 1111];
    float[] pb = new float[130 * 1111];
    TopK.product(u, v, pa, 2, TopK.Impl.VECTOR);
    TopK.product(u, v, pb, 1, TopK.Impl.SCALAR);
    assertArrayEquals(pb, pa); // bit-identical fma chains
    float acc = 0f;
    for (int c = 0; c < 64; c++) {
      acc = Math.fma(u.get(129, c), v.get(1110, c), acc);
    }
    assertEquals(acc, pa[129 * 1111 + 1110]);
  }

  @Test
  void keepBestSelectsLargestKeys() {
    SplittableRandom r = new SplittableRandom(11);
    for (int rep = 0; rep < 200; rep++) {
      int n = 1 + r.nextInt(300);
      int m = 1 + r.nextInt(n);
      long[] a = r.longs(n).distinct().toArray();
      n = a.length;
      m = Math.min(m, n);
      long[] sorted = a.clone();
      Arrays.sort(sorted);
      long worst = TopKSelector.keepBest(a, n, m);
      assertEquals(sorted[n - m], worst);
      long[] head = Arrays.copyOf(a, m);
      Arrays.sort(head);
      assertArrayEquals(Arrays.copyOfRange(sorted, n - m, n), head);
    }
  }

  @Test
  void shortListsWhenFewItemsRemain() {
    FloatMatrix u = new FloatMatrix(1, 2, new float[] {1, 1});
    FloatMatrix v = new FloatMatrix(3, 2, new float[] {1, 0, 0, 1, 1, 1});
    CsrMatrix mask = CsrMatrix.binary(1, 3, new int[] {0}, new int[] {2}, null);
    for (TopK.Impl impl : impls()) {
      int[][] top = TopK.topK(u, new int[] {0}, v, mask, null, 10, 1, impl);
      assertArrayEquals(new int[] {0, 1}, top[0]);
      assertEquals(0, TopK.topK(u, new int[] {0}, v, mask, null, 0, 1, impl)[0].length);
    }
  }

  @Test
  void preparedItemsGiveTheSameListsAsUnprepared() {
    SplittableRandom r = new SplittableRandom(7);
    FloatMatrix u = random(r, 9, 13, false);
    FloatMatrix v = random(r, 301, 13, false);
    CsrMatrix mask = CsrMatrix.binary(9, 301, new int[] {0, 0, 3, 8}, new int[] {5, 17, 0, 300}, null);
    int[][] exclude = new int[9][];
    exclude[2] = new int[] {44, 1};
    TopK.Prepared p = TopK.prepare(v);
    for (int[][] ex : Arrays.asList(null, exclude)) {
      int[][] want = TopK.topK(u, seq(9), v, mask, ex, 20, 1, TopK.Impl.AUTO);
      int[][] got = TopK.topK(u, seq(9), p, mask, ex, 20, 1);
      for (int b = 0; b < 9; b++) {
        assertArrayEquals(want[b], got[b], "user " + b);
      }
    }
    assertEquals(0, TopK.topK(u, seq(2), p, null, null, 0, 1)[1].length);
  }

  static List<TopK.Impl> impls() {
    List<TopK.Impl> l = new ArrayList<>(List.of(TopK.Impl.SCALAR));
    if (TopK.vectorAvailable()) {
      l.add(TopK.Impl.VECTOR);
    }
    assertTrue(l.size() == 2 || !TopK.vectorAvailable());
    return l;
  }
}
