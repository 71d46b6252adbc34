package io.cliprec.bench;

import io.cliprec.models.mm.Dense;
import io.cliprec.models.train.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link Dense}'s linear kernels at the size of a LightGCN raw-text plug-in on Amazon Beauty (12,101 items,
 * 384-d MiniLM features projected to 128, one view; two such per training batch):
 *
 * <ul>
 *   <li>{@link #forward}: {@code Y = X·W + b};
 *   <li>{@link #backwardWeight}: {@code gW = Xᵀ·gY}, {@code gb = Σ gY} with the row tile {@code rowTile}
 *       ({@code 0} = untiled, the order before tiling: one pass over all rows per 4-row block of gW).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class DenseBench {
  static final int N = 12_101;
  static final int IN = 384;
  static final int OUT = 128;

  @Param({"64", "0"})
  public int rowTile;

  @Param({"2"})
  public int threads;

  float[] x;
  float[] w;
  float[] b;
  float[] y;
  float[] gy;
  float[] gw;
  float[] gb;
  Parallel par;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    x = gauss(N * IN, r);
    w = gauss(IN * OUT, r);
    b = gauss(OUT, r);
    gy = gauss(N * OUT, r);
    y = new float[N * OUT];
    gw = new float[IN * OUT];
    gb = new float[OUT];
    par = new Parallel(threads);
  }

  @TearDown
  public void tearDown() {
    par.close();
  }

  static float[] gauss(int n, SplittableRandom r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Benchmark
  public float forward() {
    Dense.linear(x, N, IN, w, b, OUT, y, par);
    return y[0];
  }

  @Benchmark
  public float backwardWeight() {
    java.util.Arrays.fill(gw, 0f);
    java.util.Arrays.fill(gb, 0f);
    Dense.linearBackward(x, N, IN, w, OUT, gy, gw, gb, null, par, rowTile == 0 ? Integer.MAX_VALUE : rowTile);
    return gw[0];
  }
}
