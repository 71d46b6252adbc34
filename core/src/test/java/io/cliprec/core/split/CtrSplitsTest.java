package io.cliprec.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CtrSplitsTest {
  /** Implicit data: 50 users with 3..12 distinct items of 40 each, last two rows valid and test. */
  static Dataset implicit(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] u = new int[3][1000];
    int[][] it = new int[3][1000];
    long[][] t = new long[3][1000];
    int[] n = new int[3];
    for (int a = 0; a < 50; a++) {
      int k = 3 + rng.nextInt(10);
      Set<Integer> items = new HashSet<>();
      while (items.size() < k) {
        items.add(rng.nextInt(40));
      }
      int j = 0;
      for (int i : items) {
        int s = j < k - 2 ? 0 : j == k - 2 ? 1 : 2;
        u[s][n[s]] = a;
        it[s][n[s]] = i;
        t[s][n[s]++] = 1000L + j++;
      }
    }
    Interactions[] p = new Interactions[3];
    for (int s = 0; s < 3; s++) {
      p[s] = new Interactions(java.util.Arrays.copyOf(u[s], n[s]), java.util.Arrays.copyOf(it[s], n[s]),
          null, java.util.Arrays.copyOf(t[s], n[s]), null);
    }
    return new Dataset("implicit", IdIndex.identity(50), IdIndex.identity(40), p[0], p[1], p[2],
        Protocol.MMREC, Map.of());
  }

  @Test
  void negativesAreNeverPositivesAndCountsHold() {
    Dataset d = implicit(1L);
    CsrMatrix seen = d.allRows().toUserItemMatrix(50, 40);
    for (int neg : new int[] {1, 3}) {
      Dataset c = CtrSplits.negativeSampling(d, neg, 42L);
      assertEquals(Protocol.CTR, c.protocol());
      assertEquals("negative_sampling", c.meta().get(CtrSplits.META));
      assertEquals(Integer.toString(neg), c.meta().get("ctr.negatives"));
      assertEquals("0", c.meta().get("ctr.missing_negatives"));
      Map<Integer, Set<Integer>> negsOfUser = new java.util.HashMap<>();
      int total = 0;
      for (Split s : Split.values()) {
        Interactions in = c.split(s);
        Interactions orig = d.split(s);
        assertEquals(orig.size() * (neg + 1), in.size(), s + " rows");
        int pos = 0;
        for (int r = 0; r < in.size(); r++) {
          if (in.label(r) > 0) {
            // positives kept in order, each followed by its negatives (same user and timestamp)
            assertEquals(orig.user(pos), in.user(r));
            assertEquals(orig.item(pos), in.item(r));
            pos++;
          } else {
            assertEquals(0f, in.label(r));
            assertEquals(orig.user(pos - 1), in.user(r));
            assertEquals(orig.timestamp(pos - 1), in.timestamp(r));
            assertFalse(seen.contains(in.user(r), in.item(r)), "negative is a positive: " + in.user(r)
                + "," + in.item(r));
            // distinct per user (across splits) until every unseen item was used once
            Set<Integer> mine = negsOfUser.computeIfAbsent(in.user(r), k -> new HashSet<>());
            int unseen = 40 - seen.rowLength(in.user(r));
            assertTrue(mine.add(in.item(r)) || mine.size() == unseen,
                "negative repeated for user " + in.user(r) + " before its unseen items ran out");
            total++;
          }
        }
        assertEquals(orig.size(), pos);
      }
      assertEquals(d.allRows().size() * neg, total);
    }
  }

  @Test
  void seeded() {
    Dataset d = implicit(2L);
    Dataset a = CtrSplits.negativeSampling(d, 2, 7L);
    Dataset b = CtrSplits.negativeSampling(d, 2, 7L);
    Dataset c = CtrSplits.negativeSampling(d, 2, 8L);
    assertArrayEquals(a.train().itemsArray(), b.train().itemsArray());
    assertArrayEquals(a.test().itemsArray(), b.test().itemsArray());
    assertEquals(a.contentHash(), b.contentHash());
    assertFalse(java.util.Arrays.equals(a.train().itemsArray(), c.train().itemsArray()));
  }

  @Test
  void userWhoSawEverythingGetsNoNegative() {
    Interactions tr = new Interactions(new int[] {0, 0, 1}, new int[] {0, 1, 0}, null, null, null);
    Interactions te = new Interactions(new int[] {1}, new int[] {1}, null, null, null);
    Dataset d = new Dataset("tiny", IdIndex.identity(2), IdIndex.identity(3), tr, Interactions.empty(),
        te, Protocol.MMREC, Map.of());
    Dataset c = CtrSplits.negativeSampling(d, 1, 1L);
    // user 1 has one unseen item (2): it is used once, then repeats; user 0 too
    assertEquals(6, c.train().size());
    assertEquals(0, positivesAmongNegatives(c, d));
    Dataset full = new Dataset("full", IdIndex.identity(1), IdIndex.identity(2),
        new Interactions(new int[] {0, 0}, new int[] {0, 1}, null, null, null), Interactions.empty(),
        Interactions.empty(), Protocol.MMREC, Map.of());
    Dataset f = CtrSplits.negativeSampling(full, 1, 1L);
    assertEquals(2, f.train().size());
    assertEquals("2", f.meta().get("ctr.missing_negatives"));
  }

  /** Counts negatives that are interactions of the user anywhere in {@code orig}. */
  private static int positivesAmongNegatives(Dataset c, Dataset orig) {
    CsrMatrix seen = orig.allRows().toUserItemMatrix(orig.numUsers(), orig.numItems());
    int bad = 0;
    for (Split s : Split.values()) {
      Interactions in = c.split(s);
      for (int r = 0; r < in.size(); r++) {
        if (in.label(r) == 0 && seen.contains(in.user(r), in.item(r))) {
          bad++;
        }
      }
    }
    return bad;
  }

  @Test
  void validFromTestTakesASeededHalf() {
    Dataset d = CtrSplits.negativeSampling(implicit(3L), 1, 1L);
    Dataset noValid = d.withSplits(d.train(), Interactions.empty(), d.test(), Protocol.CTR, Map.of());
    Dataset v = CtrSplits.validFrom(noValid, Split.TEST, 0.5, 9L);
    int n = d.test().size();
    assertEquals(n / 2, v.test().size());
    assertEquals(n - n / 2, v.valid().size());
    assertEquals(d.train().size(), v.train().size());
    assertEquals("valid_from_test", v.meta().get(CtrSplits.META));
    assertTrue(v.valid().hasLabels());
    assertArrayEquals(v.valid().itemsArray(),
        CtrSplits.validFrom(noValid, Split.TEST, 0.5, 9L).valid().itemsArray());
    Dataset t = CtrSplits.validFrom(noValid, Split.TRAIN, 0.1, 9L);
    assertEquals(d.train().size(), t.train().size() + t.valid().size());
    assertEquals(d.test().size(), t.test().size());
  }

  @Test
  void badInput() {
    Dataset d = implicit(4L);
    assertThrows(IllegalArgumentException.class, () -> CtrSplits.negativeSampling(d, 0, 1L));
    Dataset c = CtrSplits.negativeSampling(d, 1, 1L);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CtrSplits.negativeSampling(c, 1, 1L));
    assertTrue(e.getMessage().contains("already has click labels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CtrSplits.validFrom(c, Split.TEST, 0.5, 1L));
    assertTrue(e.getMessage().contains("validation"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CtrSplits.validFrom(c, Split.TEST, 1.5, 1L));
  }
}
