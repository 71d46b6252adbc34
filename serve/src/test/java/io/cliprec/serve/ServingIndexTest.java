package io.cliprec.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.serve.bundle.Bundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingIndexTest {
  @TempDir static Path tmp;
  static Bundle bundle;
  static ServingIndex index;

  @BeforeAll
  static void load() throws IOException {
    Fixtures.writeBundle(tmp.resolve("b"), 11);
    bundle = Bundle.load(tmp.resolve("b"));
    index = new ServingIndex(bundle, 50);
  }

  private static List<String> ids(List<Scored> s) {
    return s.stream().map(Scored::item).toList();
  }

  private static List<String> ids(int[] rows) {
    List<String> out = new ArrayList<>();
    for (int r : rows) {
      out.add(bundle.items().id(r));
    }
    return out;
  }

  @Test
  void userRecommendationsMatchBruteForceWithAndWithoutSeenItems() {
    FloatMatrix u = bundle.userFactors();
    FloatMatrix v = bundle.itemFactors();
    CsrMatrix seen = bundle.seen();
    int d = v.cols();
    for (int a = 0; a < u.rows(); a++) {
      float[] s = new float[v.rows()];
      for (int i = 0; i < v.rows(); i++) {
        s[i] = Fixtures.dot(u.data(), a * d, v.data(), i * d, d);
      }
      String id = bundle.users().id(a);
      assertEquals(ids(Fixtures.bruteTopK(s, seen.row(a), 7)), ids(index.forUser(id, 7, true)));
      List<Scored> all = index.forUser(id, 50, false);
      assertEquals(ids(Fixtures.bruteTopK(s, new int[0], 50)), ids(all));
      assertEquals(15, all.size(), "k beyond the catalogue gives every item");
      for (Scored x : all) {
        assertEquals(s[bundle.items().index(x.item())], x.score(), 0f);
      }
      for (Scored x : index.forUser(id, 50, true)) {
        assertTrue(!seen.contains(a, bundle.items().index(x.item())), "seen item returned");
      }
    }
  }

  @Test
  void sessionFallbackIsMeanOfItemFactorsExcludingTheSession() {
    FloatMatrix v = bundle.itemFactors();
    int d = v.cols();
    List<String> session = List.of("item-03", "item-07", "item-03");
    float[] q = new float[d];
    for (String id : session) {
      int r = bundle.items().index(id);
      for (int c = 0; c < d; c++) {
        q[c] += v.get(r, c);
      }
    }
    for (int c = 0; c < d; c++) {
      q[c] /= session.size();
    }
    float[] s = new float[v.rows()];
    for (int i = 0; i < v.rows(); i++) {
      s[i] = Fixtures.dot(q, 0, v.data(), i * d, d);
    }
    int[] ex = {3, 7};
    ServingIndex.SessionAnswer a = index.forSession(session, 6, true);
    assertEquals(ServingIndex.FALLBACK, a.method());
    assertEquals(3, a.itemsUsed());
    assertEquals(ids(Fixtures.bruteTopK(s, ex, 6)), ids(a.items()));
    assertEquals(ids(Fixtures.bruteTopK(s, new int[0], 6)), ids(index.forSession(session, 6, false).items()));
    ApiException e = assertThrows(ApiException.class,
        () -> index.forSession(List.of("item-01", "nope", "nada"), 5, true));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("'nope', 'nada'"), e.getMessage());
    assertEquals(400, assertThrows(ApiException.class, () -> index.forSession(List.of(), 5, true)).status());
  }

  @Test
  void similarIsCosineInEachModalityAndExcludesTheItemItself() {
    assertEquals(List.of("id", "image", "text", "fused"), List.copyOf(index.modalities()));
    for (String m : index.modalities()) {
      for (int i = 0; i < 15; i += 4) {
        float[] cos = new float[15];
        for (int j = 0; j < 15; j++) {
          cos[j] = (float) cosine(m, i, j);
        }
        List<Scored> got = index.similar(bundle.items().id(i), 5, m);
        assertEquals(5, got.size());
        assertTrue(!ids(got).contains(bundle.items().id(i)));
        for (int r = 0; r < got.size(); r++) {
          assertEquals(cos[bundle.items().index(got.get(r).item())], got.get(r).score(), 1e-5f, m);
          if (r > 0) {
            assertTrue(got.get(r - 1).score() >= got.get(r).score());
          }
        }
        // the best one agrees with brute force (up to float ties)
        int best = Fixtures.bruteTopK(cos, new int[] {i}, 1)[0];
        assertEquals(cos[best], got.get(0).score(), 1e-5f);
      }
    }
  }

  private static double cosine(String m, int i, int j) {
    if (m.equals("fused")) {
      return (cosine("image", i, j) + cosine("text", i, j)) / 2;
    }
    FloatMatrix x = m.equals("id") ? bundle.itemFactors() : bundle.features().get(m);
    double dot = 0;
    double ni = 0;
    double nj = 0;
    for (int c = 0; c < x.cols(); c++) {
      dot += x.get(i, c) * x.get(j, c);
      ni += x.get(i, c) * x.get(i, c);
      nj += x.get(j, c) * x.get(j, c);
    }
    return dot / Math.sqrt(ni * nj);
  }

  @Test
  void errorsCarryStatusAndCode() {
    ApiException e = assertThrows(ApiException.class, () -> index.forUser("nobody", 5, true));
    assertEquals(404, e.status());
    assertEquals("unknown_user", e.code());
    assertEquals(400, assertThrows(ApiException.class, () -> index.forUser("u01", 0, true)).status());
    assertEquals(400, assertThrows(ApiException.class, () -> index.forUser("u01", 51, true)).status());
    assertEquals(404, assertThrows(ApiException.class, () -> index.similar("zzz", 5, "id")).status());
    e = assertThrows(ApiException.class, () -> index.similar("item-01", 5, "audio"));
    assertEquals("bad_parameter", e.code());
  }

  @Test
  void featureModalitiesOfABundleWithoutFeaturesAre400WithAClearMessage() throws IOException {
    Dataset ds = Fixtures.dataset(2);
    Path out = tmp.resolve("nofeat");
    Bundle.write(out, Fixtures.model(2), ds.users(), ds.items(), null, null, Map.of());
    ServingIndex ix = new ServingIndex(Bundle.load(out), 20);
    assertEquals(List.of("id"), List.copyOf(ix.modalities()));
    for (String m : Arrays.asList("image", "text", "fused")) {
      ApiException e = assertThrows(ApiException.class, () -> ix.similar("item-01", 5, m));
      assertEquals(400, e.status());
      assertEquals("modality_unavailable", e.code());
      assertTrue(e.getMessage().contains("this bundle has no item features; available: id"), e.getMessage());
    }
    assertEquals(5, ix.similar("item-01", 5, "id").size());
    // no seen matrix: exclude_seen has nothing to exclude
    assertEquals(15, ix.forUser("u01", 15, true).size());
  }
}
