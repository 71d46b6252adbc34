package io.cliprec.models;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.Scorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Test helpers: a synthetic clustered dataset, a naive Recall@K, and an MMRec {@code .inter} reader. */
public final class TestData {
  private TestData() {}

  /**
   * {@code users} users and {@code clusters * perCluster} items; user u belongs to cluster u % clusters
   * and interacts with {@code perUser} distinct items of its cluster: the first perUser-2 in train, then
   * one valid and one test.
   */
  public static Dataset clustered(int users, int clusters, int perCluster, int perUser, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<int[]> tr = new ArrayList<>();
    List<int[]> va = new ArrayList<>();
    List<int[]> te = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int c = u % clusters;
      int[] perm = new int[perCluster];
      for (int i = 0; i < perCluster; i++) {
        perm[i] = i;
      }
      for (int i = perCluster - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      for (int k = 0; k < perUser; k++) {
        int item = c * perCluster + perm[k];
        (k < perUser - 2 ? tr : k == perUser - 2 ? va : te).add(new int[] {u, item});
      }
    }
    return new Dataset("synthetic", IdIndex.identity(users), IdIndex.identity(clusters * perCluster),
        rows(tr), rows(va), rows(te), Protocol.MMREC, Map.of());
  }

  private static Interactions rows(List<int[]> l) {
    int[] u = new int[l.size()];
    int[] i = new int[l.size()];
    for (int k = 0; k < l.size(); k++) {
      u[k] = l.get(k)[0];
      i[k] = l.get(k)[1];
    }
    return new Interactions(u, i, null, null, null);
  }

  /** Recall@K on {@code split}, training items masked, ties by lower index; averaged over users with targets. */
  public static double recall(Dataset data, Split split, Scorer s, int k) {
    CsrMatrix target = data.matrix(split);
    CsrMatrix train = data.trainMatrix();
    int ni = data.numItems();
    float[] sc = new float[ni];
    double sum = 0;
    int n = 0;
    for (int u = 0; u < data.numUsers(); u++) {
      if (target.rowLength(u) == 0) {
        continue;
      }
      s.score(new int[] {u}, split, sc);
      for (int i : train.row(u)) {
        sc[i] = Float.NEGATIVE_INFINITY;
      }
      Integer[] order = new Integer[ni];
      for (int i = 0; i < ni; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> sc[a] != sc[b] ? Float.compare(sc[b], sc[a]) : a - b);
      int hits = 0;
      for (int r = 0; r < Math.min(k, ni); r++) {
        if (target.contains(u, order[r])) {
          hits++;
        }
      }
      sum += (double) hits / target.rowLength(u);
      n++;
    }
    return sum / n;
  }

  /** Validator computing naive Recall@20 on VALID (until the core Evaluator is available). */
  public static Validator naiveValidator() {
    return (data, scorer) -> recall(data, Split.VALID, scorer, 20);
  }

  /** Reads MMRec's {@code .inter} (userID itemID rating timestamp x_label; ids dense; 0/1/2 split). */
  public static Dataset readInter(Path file) throws IOException {
    List<int[]>[] parts = new List[] {new ArrayList<int[]>(), new ArrayList<int[]>(), new ArrayList<int[]>()};
    int maxU = -1;
    int maxI = -1;
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line = r.readLine();
      String[] h = line.split("\t");
      int cu = idx(h, "userID");
      int ci = idx(h, "itemID");
      int cx = idx(h, "x_label");
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t");
        int u = Integer.parseInt(f[cu]);
        int i = Integer.parseInt(f[ci]);
        parts[Integer.parseInt(f[cx])].add(new int[] {u, i});
        maxU = Math.max(maxU, u);
        maxI = Math.max(maxI, i);
      }
    }
    return new Dataset(file.getFileName().toString(), IdIndex.identity(maxU + 1),
        IdIndex.identity(maxI + 1), rows(parts[0]), rows(parts[1]), rows(parts[2]), Protocol.MMREC,
        Map.of("source", file.toString()));
  }

  private static int idx(String[] h, String name) {
    for (int k = 0; k < h.length; k++) {
      if (h[k].equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }
}
