package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.util.Map;

/**
 * Leave-one-out by time, per user: the user's last row (largest timestamp, ties broken by row order;
 * row order alone without timestamps) goes to test, the second last to valid, the rest to train. A user
 * always keeps at least one training row (RecBole's rule): 2 rows = 1 train + 1 test, 1 row = train.
 * Deterministic (the seed is ignored). Protocol becomes {@link Protocol#LEAVE_ONE_OUT} (CTR data
 * keeps {@link Protocol#CTR}).
 */
public final class LeaveOneOutSplitter implements Splitter {
  public static final String NAME = "loo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Dataset split(Dataset whole, long seed) {
    Interactions all = whole.allRows();
    UserGroups g = new UserGroups(all, whole.numUsers());
    byte[] code = new byte[all.size()];
    boolean time = all.hasTimestamps();
    for (int u = 0; u < whole.numUsers(); u++) {
      int s = g.start[u];
      int e = g.start[u + 1];
      int n = e - s;
      if (n < 2) {
        continue;
      }
      int last = -1;
      int second = -1;
      for (int k = s; k < e; k++) {
        int r = g.rows[k];
        if (last < 0 || later(all, time, r, last)) {
          second = last;
          last = r;
        } else if (second < 0 || later(all, time, r, second)) {
          second = r;
        }
      }
      code[last] = 2;
      if (n >= 3) {
        code[second] = 1;
      }
    }
    Protocol p = whole.protocol() == Protocol.CTR ? Protocol.CTR : Protocol.LEAVE_ONE_OUT;
    return SplitSupport.build(whole, all, code, p, NAME, seed, Map.of());
  }

  /** Whether row a comes after row b in (time, row) order. */
  private static boolean later(Interactions in, boolean time, int a, int b) {
    if (time) {
      long ta = in.timestamp(a);
      long tb = in.timestamp(b);
      if (ta != tb) {
        return ta > tb;
      }
    }
    return a > b;
  }
}
