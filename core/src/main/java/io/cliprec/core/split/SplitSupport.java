package io.cliprec.core.split;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the result dataset from a split code (0/1/2) per row of {@code all}. */
final class SplitSupport {
  private SplitSupport() {}

  static Dataset build(Dataset whole, Interactions all, byte[] code, Protocol protocol, String name,
      long seed, Map<String, String> extra) {
    int[] count = new int[3];
    for (byte c : code) {
      count[c]++;
    }
    int[][] idx = {new int[count[0]], new int[count[1]], new int[count[2]]};
    int[] fill = new int[3];
    for (int r = 0; r < code.length; r++) {
      idx[code[r]][fill[code[r]]++] = r;
    }
    Map<String, String> m = new LinkedHashMap<>(extra);
    m.put("split", name);
    m.put("split.seed", Long.toString(seed));
    return whole.withSplits(all.select(idx[0]), all.select(idx[1]), all.select(idx[2]), protocol, m);
  }
}
