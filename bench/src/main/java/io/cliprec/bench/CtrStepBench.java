package io.cliprec.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cliprec.models.ctr.CtrModel;
import io.cliprec.models.ctr.CtrNet;
import io.cliprec.models.ctr.CtrRecommender;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * xDeepFM at the CPMM paper's CTR sizes (embedding 128, CIN [120, 120, 120], MLP [128, 128, 128], fields
 * user, item, class; 3,000 users, 1,600 items, random weights), one PyTorch thread:
 *
 * <ul>
 *   <li>{@link #trainBatch}: loss and gradient of one 512-row batch ({@link CtrRecommender#batchGradient},
 *       dropout on) in passes of {@code micro} rows; {@code micro = 0} is the automatic size
 *       ({@link CtrNet#microRows()}, 91 rows here).
 *   <li>{@link #predict}: probabilities of 4,096 pairs through {@link CtrModel#predict} (automatic
 *       chunking) ; compare with {@link #trainBatch} per row.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx4g"})
public class CtrStepBench {
  static final int USERS = 3_000;
  static final int ITEMS = 1_600;
  static final int CLASSES = 40;
  static final int BATCH = 512;
  static final int PAIRS = 4_096;

  @Param({"512", "256", "0"})
  public int micro;

  CtrNet net;
  CtrModel model;
  Engine engine;
  NDManager base;
  int[] u;
  int[] i;
  int[] c;
  float[] y;
  float[] grad;
  int[] pu;
  int[] pi;
  float[] out;

  @Setup(Level.Trial)
  public void setup() {
    net = new CtrNet(CtrNet.Kind.XDEEPFM, USERS, ITEMS, CLASSES, 128, new int[] {128, 128, 128},
        new int[] {120, 120, 120}, 0.1, true, false, true, List.of());
    net.init(7L, List.of());
    SplittableRandom r = new SplittableRandom(20261126L);
    int[] itemClass = new int[ITEMS];
    for (int k = 0; k < ITEMS; k++) {
      itemClass[k] = r.nextInt(CLASSES);
    }
    model = new CtrModel("xdeepfm", net, itemClass, io.cliprec.core.config.Config.of(Map.of()), null,
        Map.of());
    u = new int[BATCH];
    i = new int[BATCH];
    c = new int[BATCH];
    y = new float[BATCH];
    for (int k = 0; k < BATCH; k++) {
      u[k] = r.nextInt(USERS);
      i[k] = r.nextInt(ITEMS);
      c[k] = itemClass[i[k]];
      y[k] = r.nextInt(2);
    }
    pu = new int[PAIRS];
    pi = new int[PAIRS];
    for (int k = 0; k < PAIRS; k++) {
      pu[k] = r.nextInt(USERS);
      pi[k] = r.nextInt(ITEMS);
    }
    out = new float[PAIRS];
    grad = new float[net.params().params().length];
    engine = Engine.getEngine("PyTorch");
    base = engine.newBaseManager();
  }

  @TearDown(Level.Trial)
  public void close() {
    base.close();
  }

  @Benchmark
  public float trainBatch() {
    int m = micro == 0 ? net.microRows() : micro;
    return CtrRecommender.batchGradient(net, base, engine, u, i, c, y, m, true, grad);
  }

  @Benchmark
  public float[] predict() {
    model.predict(pu, pi, out);
    return out;
  }
}
