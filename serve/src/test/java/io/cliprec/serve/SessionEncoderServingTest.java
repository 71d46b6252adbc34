package io.cliprec.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.seq.SasRecNet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.http.RecommendationServer;
import io.cliprec.serve.http.ServeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions against a SASRec bundle: the query vector is the network's encoding of the session, checked
 * against the DJL/PyTorch forward pass of the same network (not the Java path under test).
 */
class SessionEncoderServingTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @TempDir static Path tmp;
  static Bundle bundle;
  static ServingIndex index;
  static final long SEED = 5;

  @BeforeAll
  static void load() throws Exception {
    Fixtures.writeSasRecBundle(tmp.resolve("b"), SEED);
    bundle = Bundle.load(tmp.resolve("b"));
    index = new ServingIndex(bundle, 50);
  }

  /** The DJL forward pass: last position of the left-padded last maxLen items. */
  private static float[] djlQuery(List<String> session) {
    SasRecNet net = Fixtures.sasrecNet(SEED);
    int l = Fixtures.SASREC_MAX_LEN;
    int[] ids = new int[l];
    int n = Math.min(l, session.size());
    for (int j = 0; j < n; j++) {
      ids[l - n + j] = bundle.items().index(session.get(session.size() - n + j)) + 1;
    }
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray[] p = net.leaves(m, false);
      return net.encode(m, p, net.itemTable(p), ids, 1, l, false).get(":, -1, :").toFloatArray();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void manifestCarriesTheSessionEncoder() throws Exception {
    assertNotNull(bundle.sessionEncoder());
    assertEquals(Bundle.MINOR_VERSION, ((Number) bundle.manifest().get("minor_version")).intValue());
    Map<String, Object> se = (Map<String, Object>) ((Map<String, Object>) bundle.manifest().get("model"))
        .get("session_encoder");
    assertEquals("sasrec", se.get("method"));
    assertEquals(Fixtures.SASREC_MAX_LEN, se.get("max_length"));
    Bundle v1 = Bundle.load(Fixtures.committed()); // written before minor versions: no session encoder
    assertNull(v1.sessionEncoder());
    assertNull(v1.manifest().get("minor_version"));
  }

  @Test
  void sessionsAreEncodedByTheNetworkAndMatchTheDjlForwardPass() {
    FloatMatrix v = bundle.itemFactors();
    int d = v.cols();
    List<List<String>> sessions = List.of(List.of("item-02"), List.of("item-02", "item-09"),
        List.of("item-09", "item-02"), List.of("item-01", "item-05", "item-05", "item-11"),
        // longer than max_seq_length 4: the last 4 are encoded, all 6 excluded
        List.of("item-14", "item-00", "item-01", "item-05", "item-07", "item-11"));
    List<List<String>> answers = new ArrayList<>();
    for (List<String> s : sessions) {
      float[] q = djlQuery(s);
      float[] scores = new float[v.rows()];
      for (int i = 0; i < v.rows(); i++) {
        scores[i] = Fixtures.dot(q, 0, v.data(), i * d, d);
      }
      int[] ex = s.stream().mapToInt(id -> bundle.items().index(id)).sorted().distinct().toArray();
      ServingIndex.SessionAnswer a = index.forSession(s, 5, true);
      assertEquals("sasrec", a.method());
      assertEquals(Math.min(4, s.size()), a.itemsUsed());
      List<String> want = new ArrayList<>();
      for (int i : Fixtures.bruteTopK(scores, ex, 5)) {
        want.add(bundle.items().id(i));
      }
      List<String> got = a.items().stream().map(Scored::item).toList();
      assertEquals(want, got, s.toString());
      for (Scored x : a.items()) {
        assertEquals(scores[bundle.items().index(x.item())], x.score(), 1e-4f);
      }
      answers.add(got);
      // exclude_seen=false may return session items
      List<String> all = index.forSession(s, 15, false).items().stream().map(Scored::item).toList();
      assertTrue(all.containsAll(s));
    }
    // order matters to a sequential model (the fallback would give the same answer for both)
    assertTrue(!answers.get(1).equals(answers.get(2)), answers.toString());
  }

  @Test
  void theHttpRouteSaysWhichMethodAnswered() throws Exception {
    try (RecommendationServer server = new RecommendationServer(index,
        ServeOptions.defaults().withPort(0).withThreads(4)).start()) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/v1/sessions/recommendations"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"items\": [\"item-14\", \"item-00\", \"item-01\","
              + " \"item-05\", \"item-07\", \"item-11\"], \"k\": 3}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode j = new ObjectMapper().readTree(r.body());
      assertEquals("sasrec", j.get("method").asText());
      assertEquals(6, j.get("session_items").asInt());
      assertEquals(4, j.get("session_items_used").asInt());
      List<String> want = index.forSession(List.of("item-14", "item-00", "item-01", "item-05", "item-07",
          "item-11"), 3, true).items().stream().map(Scored::item).toList();
      List<String> got = new ArrayList<>();
      j.get("items").forEach(n -> got.add(n.get("item").asText()));
      assertEquals(want, got);
      HttpResponse<String> h = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode hb = new ObjectMapper().readTree(h.body()).get("bundle");
      assertEquals("sasrec", hb.get("sessions").asText());
      assertEquals(Fixtures.SASREC_MAX_LEN, hb.get("session_max_length").asInt());
    }
  }
}
