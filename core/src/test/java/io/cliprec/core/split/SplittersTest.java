package io.cliprec.core.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplittersTest {
  /** User u has rowsPerUser[u] rows with items 0..k-1; timestamps (if any) decrease with the item. */
  static Dataset whole(int[] rowsPerUser, boolean timestamps, Protocol p) {
    List<int[]> rows = new ArrayList<>();
    for (int u = 0; u < rowsPerUser.length; u++) {
      for (int k = 0; k < rowsPerUser[u]; k++) {
        rows.add(new int[] {u, k});
      }
    }
    int n = rows.size();
    int[] us = new int[n];
    int[] is = new int[n];
    long[] ts = timestamps ? new long[n] : null;
    int maxItems = 0;
    for (int r = 0; r < n; r++) {
      int[] row = rows.get(r);
      us[r] = row[0];
      is[r] = row[1];
      maxItems = Math.max(maxItems, row[1] + 1);
      if (ts != null) {
        ts[r] = 1000 - row[1]; // later rows have EARLIER times: time order reverses row order
      }
    }
    Interactions all = new Interactions(us, is, null, ts, null);
    return new Dataset("toy", IdIndex.identity(rowsPerUser.length), IdIndex.identity(maxItems), all,
        Interactions.empty(), Interactions.empty(), p, Map.of("split", "none"));
  }

  static Set<Long> keys(Interactions in) {
    Set<Long> s = new HashSet<>();
    for (int r = 0; r < in.size(); r++) {
      s.add(((long) in.user(r) << 32) | in.item(r));
    }
    return s;
  }

  @Test
  void leaveOneOutUsesTimeThenRowOrder() {
    Dataset d = whole(new int[] {5, 2, 1}, true, Protocol.MMREC);
    Dataset s = new LeaveOneOutSplitter().split(d, 0);
    assertEquals(Protocol.LEAVE_ONE_OUT, s.protocol());
    // times decrease with k, so item 0 is the latest, item 1 second latest
    assertEquals(Set.of(0L, (1L << 32)), keys(s.test()));
    assertEquals(Set.of(1L), keys(s.valid()));
    assertEquals(5 - 2 + 1 + 1, s.train().size());
    assertEquals("loo", s.meta().get("split"));
    // without timestamps the last row is the test row
    Dataset noTime = new LeaveOneOutSplitter().split(whole(new int[] {4}, false, Protocol.MMREC), 0);
    assertEquals(Set.of(3L), keys(noTime.test()));
    assertEquals(Set.of(2L), keys(noTime.valid()));
  }

  @Test
  void leaveOneOutTiesBrokenByRowOrder() {
    Interactions all = new Interactions(new int[] {0, 0, 0}, new int[] {0, 1, 2}, null,
        new long[] {5, 5, 5}, null);
    Dataset d = new Dataset("t", IdIndex.identity(1), IdIndex.identity(3), all, Interactions.empty(),
        Interactions.empty(), Protocol.MMREC, Map.of());
    Dataset s = new LeaveOneOutSplitter().split(d, 0);
    assertEquals(Set.of(2L), keys(s.test()));
    assertEquals(Set.of(1L), keys(s.valid()));
  }

  @Test
  void ratioFollowsMmrecRuleAndIsSeeded() {
    int[] per = {3, 9, 10, 25, 1, 2};
    Dataset d = whole(per, false, Protocol.MMREC);
    RatioSplitter r = new RatioSplitter();
    Dataset a = r.split(d, 1);
    Dataset b = r.split(d, 1);
    assertEquals(a.contentHash(), b.contentHash());
    int[] v = new int[per.length];
    int[] t = new int[per.length];
    for (int k = 0; k < a.valid().size(); k++) {
      v[a.valid().user(k)]++;
    }
    for (int k = 0; k < a.test().size(); k++) {
      t[a.test().user(k)]++;
    }
    // n<10: 1/1 ; n=10: held=2 -> 1/1 ; n=25: held=5 -> 2 valid, 3 test; n=1: train only; n=2: 1 test
    assertEquals(List.of(1, 1, 1, 2, 0, 0), List.of(v[0], v[1], v[2], v[3], v[4], v[5]));
    assertEquals(List.of(1, 1, 1, 3, 0, 1), List.of(t[0], t[1], t[2], t[3], t[4], t[5]));
    assertEquals(50, a.train().size() + a.valid().size() + a.test().size());
    // another seed picks other rows for the same counts
    boolean differs = false;
    for (long seed = 2; seed < 6 && !differs; seed++) {
      differs = !keys(r.split(d, seed).test()).equals(keys(a.test()));
    }
    assertTrue(differs);
  }

  @Test
  void ratioCustomRatios() {
    Dataset d = whole(new int[] {20}, false, Protocol.LEAVE_ONE_OUT);
    Dataset s = Splitters.byName("ratio", Config.of(Map.of("split.ratio", List.of(0.6, 0.2, 0.2))))
        .split(d, 3);
    assertEquals(12, s.train().size());
    assertEquals(4, s.valid().size());
    assertEquals(4, s.test().size());
    assertEquals(Protocol.MMREC, s.protocol());
  }

  @Test
  void temporalCutsAtQuantiles() {
    int n = 20;
    int[] u = new int[n];
    int[] it = new int[n];
    long[] ts = new long[n];
    for (int r = 0; r < n; r++) {
      u[r] = r % 3;
      it[r] = r;
      ts[r] = 100 + (n - 1 - r); // reverse time order
    }
    Dataset d = new Dataset("t", IdIndex.identity(3), IdIndex.identity(n),
        new Interactions(u, it, null, ts, null), Interactions.empty(), Interactions.empty(),
        Protocol.MMREC, Map.of());
    Dataset s = new TemporalSplitter().split(d, 0);
    assertEquals(16, s.train().size());
    assertEquals(2, s.valid().size());
    assertEquals(2, s.test().size());
    long maxTrain = Long.MIN_VALUE;
    for (int r = 0; r < s.train().size(); r++) {
      maxTrain = Math.max(maxTrain, s.train().timestamp(r));
    }
    for (int r = 0; r < s.valid().size(); r++) {
      assertTrue(s.valid().timestamp(r) > maxTrain);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new TemporalSplitter().split(whole(new int[] {3}, false, Protocol.MMREC), 0));
  }

  @Test
  void factoryAndGiven() {
    assertEquals(List.of("given", "loo", "ratio", "temporal"), Splitters.names());
    Config c = Config.of(Map.of("split", "temporal"));
    assertEquals("temporal", Splitters.fromConfig(c, "given").name());
    assertEquals("given", Splitters.fromConfig(Config.empty(), "given").name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Splitters.byName("kfold", Config.empty()));
    assertTrue(e.getMessage().contains("ratio"), e.getMessage());
    assertEquals(42L, Splitters.seed(Config.empty()));
    assertEquals(7L, Splitters.seed(Config.of(Map.of("seed", 7))));
    assertEquals(9L, Splitters.seed(Config.of(Map.of("seed", 7, "split.seed", 9))));
    Dataset presplit = whole(new int[] {3}, false, Protocol.MMREC).withSplits(
        Interactions.empty(), Interactions.empty(), Interactions.empty(), Protocol.MMREC,
        Map.of("split", "given"));
    assertSame(presplit, new GivenSplitter().split(presplit, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new GivenSplitter().split(whole(new int[] {3}, false, Protocol.MMREC), 0));
  }

  @Test
  void resplittingKeepsAllRowsAndAttributes() {
    Dataset d = whole(new int[] {12, 4, 7}, true, Protocol.MMREC);
    Dataset first = new RatioSplitter().split(d, 5);
    Dataset again = new LeaveOneOutSplitter().split(first, 5);
    assertEquals(keys(d.train()), union(again));
    assertNotEquals(first.contentHash(), again.contentHash());
  }

  static Set<Long> union(Dataset d) {
    Set<Long> s = new HashSet<>(keys(d.train()));
    s.addAll(keys(d.valid()));
    s.addAll(keys(d.test()));
    return s;
  }
}
