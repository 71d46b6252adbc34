package io.cliprec.core.eval;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.features.FloatMatrix;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Fused dot-product scoring + masked top-K: for each requested user, the {@code k} best items by
 * {@code score(u, i) = users[u] &middot; items[i]}, best first, never materialising the full score
 * matrix. Shared by the {@link Evaluator} and the HTTP server.
 *
 * <p>Algorithm: users are processed in groups of {@value #GROUP} (one parallel task each); item factors
 * are repacked once into k-major panels; for each L2-sized tile of item panels and each 4-user micro-block,
 * a register-blocked kernel writes a 4 &times; tile score block (L1 resident), which a threshold scan
 * feeds to a per-user candidate buffer (threshold + quickselect, {@link TopKSelector}). Masked items
 * are skipped with a forward cursor over the user's sorted exclusions.
 *
 * <p>Order: higher score first; equal scores by lower item index; NaN after every number; masked items
 * never appear. A user with fewer than {@code k} unmasked items gets a shorter list. Each score is the
 * fused multiply-add chain over {@code d} in index order, identical in the Vector API kernel
 * ({@code jdk.incubator.vector}, {@code FloatVector.SPECIES_PREFERRED}) and in the scalar fallback used
 * when that module is not in the boot layer, so both give the same rankings.
 */
public final class TopK {
  /** Users per parallel task. */
  static final int GROUP = 64;
  /** Target size in bytes of one tile of packed item panels (kept in L2 while a group reuses it). */
  private static final int TILE_BYTES = 128 * 1024;

  /** Which kernel to use. */
  public enum Impl {
    /** Vector API when available, else scalar. */
    AUTO,
    /** Vector API (fails when the module is absent). */
    VECTOR,
    /** Plain Java. */
    SCALAR
  }

  private TopK() {}

  private static final class VectorHolder {
    static final TopKKernel KERNEL = load();

    private static TopKKernel load() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return null;
      }
      try {
        return (TopKKernel) Class.forName("io.cliprec.core.eval.VectorKernel")
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }
  }

  /** Whether the Vector API kernel can run in this JVM ({@code --add-modules jdk.incubator.vector}). */
  public static boolean vectorAvailable() {
    return VectorHolder.KERNEL != null;
  }

  static TopKKernel kernel(Impl impl) {
    switch (impl) {
      case SCALAR:
        return ScalarKernel.INSTANCE;
      case VECTOR:
        if (VectorHolder.KERNEL == null) {
          throw new IllegalStateException(
              "Vector API kernel unavailable: run with --add-modules jdk.incubator.vector");
        }
        return VectorHolder.KERNEL;
      default:
        return VectorHolder.KERNEL != null ? VectorHolder.KERNEL : ScalarKernel.INSTANCE;
    }
  }

  /** Top-k with all cores; see {@link #topK(FloatMatrix, int[], FloatMatrix, CsrMatrix, int[][], int, int, Impl)}. */
  public static int[][] topK(FloatMatrix users, int[] userRows, FloatMatrix items, CsrMatrix mask,
      int k) {
    return topK(users, userRows, items, mask, null, k, Runtime.getRuntime().availableProcessors(),
        Impl.AUTO);
  }

  /** Top-k masking row {@code userRows[b]} of {@code mask} (may be null) for user b. */
  public static int[][] topK(FloatMatrix users, int[] userRows, FloatMatrix items, CsrMatrix mask,
      int k, int threads) {
    return topK(users, userRows, items, mask, null, k, threads, Impl.AUTO);
  }

  /** Top-k masking {@code exclude[b]} (any order, may be null or hold nulls) for user b. */
  public static int[][] topK(FloatMatrix users, int[] userRows, FloatMatrix items, int[][] exclude,
      int k, int threads) {
    return topK(users, userRows, items, null, exclude, k, threads, Impl.AUTO);
  }

  /**
   * The k best items for each requested user.
   *
   * @param users user factors {@code [numUsers, d]}
   * @param userRows B row indices into {@code users} (and into {@code mask})
   * @param items item factors {@code [numItems, d]}
   * @param mask {@code [numUsers, numItems]} binary matrix of excluded items per user row, or null
   * @param exclude per requested user (length B) extra excluded item indices, or null
   * @param k list length (&ge; 0)
   * @param threads parallelism (&ge; 1)
   * @param impl kernel choice
   * @return {@code [B][≤k]} item indices, best first
   */
  public static int[][] topK(FloatMatrix users, int[] userRows, FloatMatrix items, CsrMatrix mask,
      int[][] exclude, int k, int threads, Impl impl) {
    check(users, items);
    if (k < 0) {
      throw new IllegalArgumentException("k < 0: " + k);
    }
    if (mask != null && mask.cols() != items.rows()) {
      throw new IllegalArgumentException(
          "mask has " + mask.cols() + " columns but there are " + items.rows() + " items");
    }
    if (exclude != null && exclude.length != userRows.length) {
      throw new IllegalArgumentException("exclude length " + exclude.length + " != " + userRows.length);
    }
    if (k == 0 || items.rows() == 0) {
      return empty(userRows.length);
    }
    return run(kernel(impl), users, userRows, null, items, mask, exclude, k, threads);
  }

  /**
   * Item factors repacked once for the kernel, for callers that rank against the same items many times
   * (an HTTP server): {@link #topK(FloatMatrix, int[], Prepared, CsrMatrix, int[][], int, int)} then
   * allocates nothing of size items &times; d per call. Immutable and thread-safe.
   */
  public static final class Prepared {
    final TopKKernel kern;
    final PackedItems packed;
    final FloatMatrix items;

    Prepared(TopKKernel kern, FloatMatrix items) {
      this.kern = kern;
      this.items = items;
      this.packed = new PackedItems(items, kern.panelWidth(), kern != ScalarKernel.INSTANCE);
    }

    /** The item factors {@code [numItems, d]} it was made from. */
    public FloatMatrix items() {
      return items;
    }
  }

  /** Packs {@code items} {@code [numItems, d]} once with the {@link Impl#AUTO} kernel. */
  public static Prepared prepare(FloatMatrix items) {
    return new Prepared(kernel(Impl.AUTO), items);
  }

  /**
   * Same as {@link #topK(FloatMatrix, int[], FloatMatrix, CsrMatrix, int[][], int, int, Impl)} over items
   * packed by {@link #prepare}; identical results.
   */
  public static int[][] topK(FloatMatrix users, int[] userRows, Prepared items, CsrMatrix mask,
      int[][] exclude, int k, int threads) {
    check(users, items.items);
    if (k < 0) {
      throw new IllegalArgumentException("k < 0: " + k);
    }
    if (mask != null && mask.cols() != items.items.rows()) {
      throw new IllegalArgumentException(
          "mask has " + mask.cols() + " columns but there are " + items.items.rows() + " items");
    }
    if (exclude != null && exclude.length != userRows.length) {
      throw new IllegalArgumentException("exclude length " + exclude.length + " != " + userRows.length);
    }
    if (k == 0 || items.items.rows() == 0) {
      return empty(userRows.length);
    }
    return run(items.kern, users, userRows, items.packed, items.items, mask, exclude, k, threads);
  }

  private static int[][] empty(int n) {
    int[][] result = new int[n][];
    for (int b = 0; b < n; b++) {
      result[b] = new int[0];
    }
    return result;
  }

  private static int[][] run(TopKKernel kern, FloatMatrix users, int[] userRows, PackedItems prepacked,
      FloatMatrix items, CsrMatrix mask, int[][] exclude, int k, int threads) {
    int[][] result = new int[userRows.length][];
    PackedItems packed = prepacked != null ? prepacked
        : new PackedItems(items, kern.panelWidth(), kern != ScalarKernel.INSTANCE);
    int[][] merged = mergeExclusions(userRows, mask, exclude);
    int nGroups = (userRows.length + GROUP - 1) / GROUP;
    parallelFor(nGroups, threads, g -> {
      int from = g * GROUP;
      int to = Math.min(userRows.length, from + GROUP);
      runGroup(kern, users, userRows, from, to, packed, mask, merged, k, result);
    });
    return result;
  }

  /**
   * One row of dense scores &rarr; the k best unexcluded items, same order as {@link #topK}.
   *
   * @param scores {@code scores[off + i]} is the score of item i, {@code i < n}
   * @param exclude sorted ascending excluded items {@code exclude[exFrom .. exTo)}, or null
   */
  public static int[] select(float[] scores, int off, int n, int[] exclude, int exFrom, int exTo,
      int k) {
    TopKSelector sel = new TopKSelector(1, k);
    sel.reset(0, exclude, exFrom, exTo);
    if (k > 0) {
      kernel(Impl.AUTO).scan(sel, 0, scores, off, 0, n);
    }
    return sel.result(0);
  }

  /**
   * Bare product {@code out[u * numItems + i] = users[u] &middot; items[i]} for all users, with the same
   * micro-kernel and arithmetic as {@link #topK} (a speed floor for the fused kernel).
   *
   * @param out length &ge; numUsers &times; numItems
   */
  public static void product(FloatMatrix users, FloatMatrix items, float[] out, int threads, Impl impl) {
    check(users, items);
    int nu = users.rows();
    int n = items.rows();
    if ((long) nu * n > out.length) {
      throw new IllegalArgumentException("out too small: " + out.length + " < " + (long) nu * n);
    }
    TopKKernel kern = kernel(impl);
    PackedItems packed = new PackedItems(items, kern.panelWidth(), kern != ScalarKernel.INSTANCE);
    int d = users.cols();
    float[] ud = users.data();
    int nGroups = (nu + GROUP - 1) / GROUP;
    int tilePanels = tilePanels(d, packed.w);
    int stride = tilePanels * packed.w;
    parallelFor(nGroups, threads, g -> {
      int from = g * GROUP;
      int to = Math.min(nu, from + GROUP);
      int[] uOff = new int[TopKKernel.MR];
      float[] buf = new float[TopKKernel.MR * stride];
      for (int p0 = 0; p0 < packed.panels; p0 += tilePanels) {
        int p1 = Math.min(packed.panels, p0 + tilePanels);
        int item0 = p0 * packed.w;
        int len = Math.min(n, p1 * packed.w) - item0;
        for (int m0 = from; m0 < to; m0 += TopKKernel.MR) {
          int mr = Math.min(TopKKernel.MR, to - m0);
          for (int m = 0; m < TopKKernel.MR; m++) {
            uOff[m] = (m0 + Math.min(m, mr - 1)) * d;
          }
          kern.tile(ud, uOff, packed, p0, p1, buf, stride);
          for (int m = 0; m < mr; m++) {
            System.arraycopy(buf, m * stride, out, (m0 + m) * n + item0, len);
          }
        }
      }
    });
  }

  private static int tilePanels(int d, int w) {
    return Math.max(1, TILE_BYTES / (4 * Math.max(1, d) * w));
  }

  private static void check(FloatMatrix users, FloatMatrix items) {
    if (users.cols() != items.cols()) {
      throw new IllegalArgumentException(
          "user factors have d=" + users.cols() + " but item factors d=" + items.cols());
    }
  }

  /** Per requested user: sorted exclusions from mask row and/or exclude list; null entries when none. */
  private static int[][] mergeExclusions(int[] userRows, CsrMatrix mask, int[][] exclude) {
    if (exclude == null) {
      return null;
    }
    int[][] out = new int[userRows.length][];
    for (int b = 0; b < userRows.length; b++) {
      int[] ex = exclude[b] == null ? new int[0] : exclude[b].clone();
      if (mask != null) {
        int[] row = mask.row(userRows[b]);
        int[] both = Arrays.copyOf(row, row.length + ex.length);
        System.arraycopy(ex, 0, both, row.length, ex.length);
        ex = both;
      }
      Arrays.sort(ex);
      out[b] = ex;
    }
    return out;
  }

  private static void runGroup(TopKKernel kern, FloatMatrix users, int[] userRows, int from, int to,
      PackedItems packed, CsrMatrix mask, int[][] merged, int k, int[][] result) {
    int g = to - from;
    int d = users.cols();
    int n = packed.n;
    float[] ud = users.data();
    int tilePanels = tilePanels(d, packed.w);
    int stride = tilePanels * packed.w;
    float[] buf = new float[TopKKernel.MR * stride];
    int[] uOff = new int[TopKKernel.MR];
    TopKSelector sel = new TopKSelector(g, k);
    for (int s = 0; s < g; s++) {
      int u = userRows[from + s];
      if (u < 0 || u >= users.rows()) {
        throw new IllegalArgumentException("user row " + u + " outside [0," + users.rows() + ")");
      }
      if (merged != null) {
        sel.reset(s, merged[from + s], 0, merged[from + s].length);
      } else if (mask != null) {
        sel.reset(s, mask.indices(), mask.indptr()[u], mask.indptr()[u + 1]);
      } else {
        sel.reset(s, null, 0, 0);
      }
    }
    for (int p0 = 0; p0 < packed.panels; p0 += tilePanels) {
      int p1 = Math.min(packed.panels, p0 + tilePanels);
      int item0 = p0 * packed.w;
      int itemEnd = Math.min(n, p1 * packed.w);
      for (int m0 = 0; m0 < g; m0 += TopKKernel.MR) {
        int mr = Math.min(TopKKernel.MR, g - m0);
        for (int m = 0; m < TopKKernel.MR; m++) {
          uOff[m] = userRows[from + m0 + Math.min(m, mr - 1)] * d;
        }
        kern.tile(ud, uOff, packed, p0, p1, buf, stride);
        for (int m = 0; m < mr; m++) {
          kern.scan(sel, m0 + m, buf, m * stride, item0, itemEnd - item0);
        }
      }
    }
    for (int s = 0; s < g; s++) {
      result[from + s] = sel.result(s);
    }
  }

  /** Runs {@code body(0..n-1)} on {@code threads} workers (inline when 1). */
  static void parallelFor(int n, int threads, IntConsumer body) {
    if (threads <= 1 || n <= 1) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    } finally {
      pool.shutdown();
    }
  }
}
