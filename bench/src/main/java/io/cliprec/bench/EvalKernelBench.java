package io.cliprec.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.FactorScorer;
import io.cliprec.core.eval.TopK;
import io.cliprec.core.features.FloatMatrix;
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
 * Full-ranking evaluation kernel at Amazon Baby scale: 19,445 users &times; 64 and 7,050 items &times; 64
 * (random N(0,1) factors, fixed seed), K = 50, 6 random training items masked per user.
 *
 * <ul>
 *   <li>{@link #fusedTopK}: {@link TopK#topK} = score tile + mask + top-50 for every user.
 *   <li>{@link #evaluate}: the whole {@link Evaluator#evaluate} (fused top-K + the six metrics at
 *       K = 5, 10, 20, 50; one test item per user).
 *   <li>{@link #bareProduct}: {@link TopK#product}, the same Vector API micro-kernel writing all
 *       19,445 &times; 7,050 scores to a float[] (the floor for plain Java).
 *   <li>{@link #djlMatMul}: the same product with DJL PyTorch {@code NDArray.matMul} (result left in
 *       native memory, closed each call).
 * </ul>
 * All use {@code threads} workers (0 = all cores; PyTorch uses its own intra-op pool).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
    "-Xmx4g"})
public class EvalKernelBench {
  static final int USERS = 19_445;
  static final int ITEMS = 7_050;
  static final int DIM = 64;
  static final int K = 50;
  static final int TRAIN_PER_USER = 6;

  @Param("0")
  public int threads;

  FloatMatrix users;
  FloatMatrix items;
  int[] rows;
  CsrMatrix mask;
  float[] out;
  Dataset data;
  FactorScorer scorer;
  int nThreads;
  NDManager manager;
  NDArray du;
  NDArray dvT;

  @Setup(Level.Trial)
  public void setup() {
    nThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    SplittableRandom r = new SplittableRandom(20240601L);
    users = gaussian(r, USERS, DIM);
    items = gaussian(r, ITEMS, DIM);
    rows = new int[USERS];
    int[] tu = new int[USERS * TRAIN_PER_USER];
    int[] ti = new int[tu.length];
    int[] su = new int[USERS];
    int[] si = new int[USERS];
    for (int u = 0; u < USERS; u++) {
      rows[u] = u;
      for (int j = 0; j < TRAIN_PER_USER; j++) {
        tu[u * TRAIN_PER_USER + j] = u;
        ti[u * TRAIN_PER_USER + j] = r.nextInt(ITEMS);
      }
      su[u] = u;
      si[u] = r.nextInt(ITEMS);
    }
    mask = CsrMatrix.binary(USERS, ITEMS, tu, ti, null);
    out = new float[USERS * ITEMS];
    data = new Dataset("bench", IdIndex.identity(USERS), IdIndex.identity(ITEMS),
        new Interactions(tu, ti, null, null, null), Interactions.empty(),
        new Interactions(su, si, null, null, null), Protocol.MMREC, Map.of());
    data.trainMatrix();
    scorer = new FactorScorer() {
      @Override
      public FloatMatrix userFactors(Split target) {
        return users;
      }

      @Override
      public FloatMatrix itemFactors() {
        return items;
      }
    };
  }

  @Setup(Level.Trial)
  public void setupDjl() {
    manager = NDManager.newBaseManager("PyTorch");
    du = manager.create(users.data(), new Shape(USERS, DIM));
    dvT = manager.create(items.data(), new Shape(ITEMS, DIM)).transpose().duplicate();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  static FloatMatrix gaussian(SplittableRandom r, int n, int d) {
    float[] a = new float[n * d];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return new FloatMatrix(n, d, a);
  }

  @Benchmark
  public int[][] fusedTopK() {
    return TopK.topK(users, rows, items, mask, null, K, nThreads, TopK.Impl.AUTO);
  }

  @Benchmark
  public EvalResult evaluate() {
    return Evaluator.evaluate(data, Split.TEST, scorer,
        EvalOptions.defaults().withThreads(nThreads));
  }

  @Benchmark
  public float[] bareProduct() {
    TopK.product(users, items, out, nThreads, TopK.Impl.AUTO);
    return out;
  }

  @Benchmark
  public long djlMatMul() {
    try (NDManager sub = manager.newSubManager()) {
      NDArray s = du.matMul(dvT);
      s.attach(sub);
      return s.getShape().size();
    }
  }
}
