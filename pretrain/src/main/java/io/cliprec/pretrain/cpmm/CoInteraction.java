package io.cliprec.pretrain.cpmm;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import java.util.Arrays;

/**
 * Sparse item-item co-interaction graph: items i != j are adjacent when some user has both in the
 * <b>training</b> rows ({@link Dataset#trainMatrix()}; valid and test rows are never read), as CPMM's
 * {@code combinations(items of each user, 2)} over the train matrix. Stored as sorted neighbour lists
 * (CSR); self-loops are implicit ({@link #adjacent} is true for i == j, CPMM's {@code + eye}). Memory is
 * the number of co-interacting pairs, never items x items.
 */
public final class CoInteraction {
  private final int numItems;
  private final int[] ptr;
  private final int[] nbr;

  private CoInteraction(int numItems, int[] ptr, int[] nbr) {
    this.numItems = numItems;
    this.ptr = ptr;
    this.nbr = nbr;
  }

  /** The graph of {@code data}'s training interactions. */
  public static CoInteraction fromTrain(Dataset data) {
    return of(data.trainMatrix(), data.numItems());
  }

  /** The graph of a binary user x item matrix. */
  public static CoInteraction of(CsrMatrix userItem, int numItems) {
    int nu = userItem.rows();
    int[] ip = userItem.indptr();
    int[] ix = userItem.indices();
    // item -> users (transpose)
    int[] cnt = new int[numItems + 1];
    for (int u = 0; u < nu; u++) {
      for (int k = ip[u]; k < ip[u + 1]; k++) {
        cnt[ix[k] + 1]++;
      }
    }
    for (int i = 0; i < numItems; i++) {
      cnt[i + 1] += cnt[i];
    }
    int[] users = new int[cnt[numItems]];
    int[] fill = Arrays.copyOf(cnt, numItems);
    for (int u = 0; u < nu; u++) {
      for (int k = ip[u]; k < ip[u + 1]; k++) {
        users[fill[ix[k]]++] = u;
      }
    }
    int[] stamp = new int[numItems];
    Arrays.fill(stamp, -1);
    int[] ptr = new int[numItems + 1];
    int[] buf = new int[16];
    int n = 0;
    int[] scratch = new int[numItems];
    for (int i = 0; i < numItems; i++) {
      int m = 0;
      for (int a = cnt[i]; a < cnt[i + 1]; a++) {
        int u = users[a];
        for (int k = ip[u]; k < ip[u + 1]; k++) {
          int j = ix[k];
          if (j != i && stamp[j] != i) {
            stamp[j] = i;
            scratch[m++] = j;
          }
        }
      }
      Arrays.sort(scratch, 0, m);
      if (n + m > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(n + m, buf.length * 2));
      }
      System.arraycopy(scratch, 0, buf, n, m);
      n += m;
      ptr[i + 1] = n;
    }
    return new CoInteraction(numItems, ptr, Arrays.copyOf(buf, n));
  }

  public int numItems() {
    return numItems;
  }

  /** Number of directed edges (each unordered pair counted twice), self-loops excluded. */
  public long numEdges() {
    return nbr.length;
  }

  /** Whether items {@code i} and {@code j} share a training user, or {@code i == j}. */
  public boolean adjacent(int i, int j) {
    return i == j || Arrays.binarySearch(nbr, ptr[i], ptr[i + 1], j) >= 0;
  }

  /**
   * The adjacency block of a batch: {@code out[a * B + b] = adjacent(items[a], items[b]) ? 1 : 0},
   * {@code B = items.length} (CPMM's {@code adj_matrix[batch, :][:, batch]}).
   */
  public float[] block(int[] items) {
    int b = items.length;
    float[] out = new float[b * b];
    for (int x = 0; x < b; x++) {
      for (int y = 0; y < b; y++) {
        out[x * b + y] = adjacent(items[x], items[y]) ? 1f : 0f;
      }
    }
    return out;
  }
}
