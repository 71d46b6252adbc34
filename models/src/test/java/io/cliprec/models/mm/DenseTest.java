package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cliprec.models.train.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The blocked Vector API linear kernels against naive loops (odd sizes hit every tail path). */
class DenseTest {
  @ParameterizedTest
  @CsvSource({"7, 10, 13", "9, 4, 64", "1, 3, 5", "33, 17, 16"})
  void linearAndBackwardMatchNaive(int n, int in, int out) {
    SplittableRandom r = new SplittableRandom(n * 31 + in);
    float[] x = MmGradientTest.gauss(n * in, r);
    float[] w = MmGradientTest.gauss(in * out, r);
    float[] b = MmGradientTest.gauss(out, r);
    float[] gy = MmGradientTest.gauss(n * out, r);
    java.util.Arrays.fill(gy, 0, out, 0f); // an all-zero row is skipped
    float[] y = new float[n * out];
    float[] gw = new float[in * out];
    float[] gb = new float[out];
    float[] gx = new float[n * in];
    try (Parallel par = new Parallel(2)) {
      Dense.linear(x, n, in, w, b, out, y, par);
      Dense.linearBackward(x, n, in, w, out, gy, gw, gb, gx, par);
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < out; c++) {
        double s = b[c];
        for (int k = 0; k < in; k++) {
          s += (double) x[i * in + k] * w[k * out + c];
        }
        assertEquals(s, y[i * out + c], 1e-4, "y");
      }
    }
    for (int k = 0; k < in; k++) {
      for (int c = 0; c < out; c++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += (double) x[i * in + k] * gy[i * out + c];
        }
        assertEquals(s, gw[k * out + c], 1e-4, "gw");
      }
    }
    for (int c = 0; c < out; c++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += gy[i * out + c];
      }
      assertEquals(s, gb[c], 1e-4, "gb");
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < in; k++) {
        double s = 0;
        for (int c = 0; c < out; c++) {
          s += (double) gy[i * out + c] * w[k * out + c];
        }
        assertEquals(s, gx[i * in + k], 1e-4, "gx");
      }
    }
  }

  /** The row tile of the weight-gradient accumulation changes the loop order only, never a bit. */
  @ParameterizedTest
  @CsvSource({"1", "5", "64", "1000"})
  void weightGradientDoesNotDependOnRowTile(int tile) {
    int n = 150;
    int in = 19;
    int out = 21;
    SplittableRandom r = new SplittableRandom(5);
    float[] x = MmGradientTest.gauss(n * in, r);
    float[] w = MmGradientTest.gauss(in * out, r);
    float[] gy = MmGradientTest.gauss(n * out, r);
    java.util.Arrays.fill(gy, 70 * out, 71 * out, 0f);
    float[] untiled = new float[in * out];
    float[] tiled = new float[in * out];
    try (Parallel par = new Parallel(2)) {
      Dense.linearBackward(x, n, in, w, out, gy, untiled, null, null, par, Integer.MAX_VALUE);
      Dense.linearBackward(x, n, in, w, out, gy, tiled, null, null, par, tile);
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(untiled, tiled);
  }
}
