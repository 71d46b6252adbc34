package io.cliprec.serve.bundle;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.train.FactorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a bundle of random factors for load tests: users {@code u0..u(U-1)}, items {@code i0..i(I-1)},
 * Gaussian factors {@code N(0, 0.1²)} of width d, and {@code seen} random distinct items per user.
 * Usage: {@code RandomBundle OUT [users=10000] [items=100000] [dim=64] [seen=20] [seed=1]}.
 */
public final class RandomBundle {
  private RandomBundle() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: RandomBundle OUT [users] [items] [dim] [seen-per-user] [seed]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int items = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int dim = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    int seen = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    long seed = args.length > 5 ? Long.parseLong(args[5]) : 1L;
    write(out, users, items, dim, seen, seed);
    System.err.println("wrote " + out + ": " + users + " users x " + items + " items, d=" + dim);
  }

  /** Writes the random bundle (see class doc). */
  public static void write(Path out, int users, int items, int dim, int seen, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    FloatMatrix u = gaussian(r.split(), users, dim);
    FloatMatrix v = gaussian(r.split(), items, dim);
    SplittableRandom rs = r.split();
    int per = Math.min(seen, items);
    int[] rows = new int[users * per];
    int[] cols = new int[users * per];
    for (int a = 0; a < users; a++) {
      for (int j = 0; j < per; j++) {
        rows[a * per + j] = a;
        cols[a * per + j] = rs.nextInt(items); // duplicates collapse in the CSR
      }
    }
    CsrMatrix s = CsrMatrix.binary(users, items, rows, cols, null);
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("model", "random");
    prov.put("seed", seed);
    prov.put("generator", RandomBundle.class.getName());
    FactorModel model = new FactorModel("random", Config.of(Map.of("embedding_size", dim)), null, u, v);
    Bundle.write(out, model, ids("u", users), ids("i", items), s, null, prov);
  }

  private static IdIndex ids(String prefix, int n) {
    List<String> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(prefix + i);
    }
    return IdIndex.of(l);
  }

  private static FloatMatrix gaussian(SplittableRandom r, int rows, int cols) {
    float[] a = new float[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (0.1 * r.nextGaussian());
    }
    return new FloatMatrix(rows, cols, a);
  }
}
