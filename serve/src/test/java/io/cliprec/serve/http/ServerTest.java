package io.cliprec.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Starts the server on an ephemeral loopback port over the committed fixture bundle and calls every route. */
class ServerTest {
  static final String TOKEN = "s3cret-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static RecommendationServer server;
  static HttpClient http;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    ServingIndex index = new ServingIndex(Bundle.load(Fixtures.committed()), 100);
    ServeOptions o = ServeOptions.defaults().withPort(0).withToken(TOKEN).withMaxBodyBytes(4096)
        .withThreads(8);
    server = new RecommendationServer(index, o).start();
    base = "http://127.0.0.1:" + server.port();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  record Res(int status, JsonNode json, String text, HttpResponse<String> raw) {}

  static Res call(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode j = null;
    if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      j = JSON.readTree(r.body());
    }
    return new Res(r.statusCode(), j, r.body(), r);
  }

  static Res get(String path) throws Exception {
    return call("GET", path, null, TOKEN);
  }

  static Res post(String path, String body) throws Exception {
    return call("POST", path, body, TOKEN);
  }

  static void assertError(Res r, int status, String code) {
    assertEquals(status, r.status(), r.text());
    assertEquals(code, r.json().get("error").asText(), r.text());
    assertTrue(r.json().get("message").asText().length() > 5, r.text());
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    Res r = call("GET", "/health", null, null);
    assertEquals(200, r.status());
    assertEquals("ok", r.json().get("status").asText());
    assertEquals("cliprec-bundle", r.json().at("/bundle/format").asText());
    assertEquals(15, r.json().at("/bundle/items").asInt());
    assertEquals("fallback", r.json().at("/bundle/sessions").asText());
  }

  @Test
  @SuppressWarnings("unchecked")
  void userRecommendationsReturnTheStoredFixturePredictions() throws Exception {
    Map<String, Object> want = JSON.readValue(
        Fixtures.committed().resolveSibling("expected-v1.json").toFile(), Map.class);
    List<List<Object>> u01 = ((Map<String, List<List<Object>>>) want.get("users")).get("u01");
    Res r = get("/v1/users/u01/recommendations?k=5&exclude_seen=true");
    assertEquals(200, r.status(), r.text());
    assertEquals("u01", r.json().get("user").asText());
    assertEquals("bpr", r.json().get("model").asText());
    JsonNode items = r.json().get("items");
    assertEquals(5, items.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(u01.get(i).get(0), items.get(i).get("item").asText());
      assertEquals(((Number) u01.get(i).get(1)).doubleValue(), items.get(i).get("score").asDouble(), 1e-6);
    }
    // default k = 20 (capped at the 15 items), seen items included when asked
    assertEquals(15, get("/v1/users/u01/recommendations?exclude_seen=false").json().get("items").size());
    // percent-encoded id with a space
    assertEquals(200, get("/v1/users/u%2019/recommendations?k=3").status());
    assertEquals("u 19", get("/v1/users/u%2019/recommendations?k=3").json().get("user").asText());
  }

  @Test
  void userErrors() throws Exception {
    assertError(get("/v1/users/nobody/recommendations"), 404, "unknown_user");
    assertError(get("/v1/users/u01/recommendations?k=abc"), 400, "bad_parameter");
    assertError(get("/v1/users/u01/recommendations?k=0"), 400, "bad_parameter");
    assertError(get("/v1/users/u01/recommendations?k=101"), 400, "bad_parameter");
    assertError(get("/v1/users/u01/recommendations?exclude_seen=maybe"), 400, "bad_parameter");
    assertError(post("/v1/users/u01/recommendations", "{}"), 405, "method_not_allowed");
    assertEquals("GET", post("/v1/users/u01/recommendations", "{}").raw().headers().firstValue("Allow")
        .orElse(""));
  }

  @Test
  void tokenIsRequiredOnEveryV1Route() throws Exception {
    for (String[] mp : new String[][] {{"GET", "/v1/users/u01/recommendations"},
        {"POST", "/v1/sessions/recommendations"}, {"GET", "/v1/items/item-01/similar"},
        {"POST", "/v1/items/encode"}, {"GET", "/v1/nothing/here"}}) {
      String body = mp[0].equals("POST") ? "{\"items\": [\"item-01\"]}" : null;
      Res none = call(mp[0], mp[1], body, null);
      assertError(none, 401, "unauthorized");
      assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertError(call(mp[0], mp[1], body, "wrong"), 401, "unauthorized");
      assertError(call(mp[0], mp[1], body, TOKEN + "x"), 401, "unauthorized");
    }
    // a bare token without the "Bearer " scheme is refused too
    HttpRequest raw = HttpRequest.newBuilder(URI.create(base + "/v1/users/u01/recommendations"))
        .header("Authorization", TOKEN).build();
    assertEquals(401, http.send(raw, HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void sessionRecommendations() throws Exception {
    Res r = post("/v1/sessions/recommendations", "{\"items\": [\"item-03\", \"item-07\"], \"k\": 4}");
    assertEquals(200, r.status(), r.text());
    assertEquals("mean_item_factors", r.json().get("strategy").asText());
    assertEquals("fallback", r.json().get("method").asText());
    assertTrue(r.json().get("exclude_seen").asBoolean());
    assertEquals(4, r.json().get("items").size());
    for (JsonNode n : r.json().get("items")) {
      assertTrue(!n.get("item").asText().equals("item-03") && !n.get("item").asText().equals("item-07"));
    }
    assertEquals(13, post("/v1/sessions/recommendations", "{\"items\": [\"item-03\", \"item-07\"]}")
        .json().get("items").size());
    assertError(post("/v1/sessions/recommendations", "{\"items\": [\"item-03\", \"ghost\"]}"), 404,
        "unknown_item");
    assertError(post("/v1/sessions/recommendations", "{\"items\": [\"item-03\""), 400, "bad_request");
    assertError(post("/v1/sessions/recommendations", "[1, 2]"), 400, "bad_request");
    assertError(post("/v1/sessions/recommendations", "{\"k\": 3}"), 400, "bad_request");
    assertError(post("/v1/sessions/recommendations", "{\"items\": [{\"a\": 1}]}"), 400, "bad_request");
    assertError(post("/v1/sessions/recommendations", "{\"items\": [\"item-03\"], \"k\": \"x\"}"), 400,
        "bad_request");
    assertError(post("/v1/sessions/recommendations", ""), 400, "bad_request");
    assertError(post("/v1/sessions/recommendations", "{\"items\": [\"item-03\"], \"exclude_seen\": \"no\"}"),
        400, "bad_request");
    JsonNode all = post("/v1/sessions/recommendations",
        "{\"items\": [\"item-03\", \"item-07\"], \"exclude_seen\": false}").json();
    assertEquals(15, all.get("items").size());
    assertTrue(!all.get("exclude_seen").asBoolean());
    assertError(get("/v1/sessions/recommendations"), 405, "method_not_allowed");
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    StringBuilder sb = new StringBuilder("{\"items\": [");
    while (sb.length() < 5000) {
      sb.append("\"item-01\",");
    }
    sb.append("\"item-02\"]}");
    assertError(post("/v1/sessions/recommendations", sb.toString()), 413, "body_too_large");
    // chunked (no Content-Length): counted while reading
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/v1/sessions/recommendations"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8))))
        .build();
    HttpResponse<String> r = http.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode(), r.body());
    // the server still answers afterwards
    assertEquals(200, get("/v1/users/u01/recommendations?k=2").status());
  }

  @Test
  void similarItemsInEveryModality() throws Exception {
    for (String m : List.of("id", "image", "text", "fused")) {
      Res r = get("/v1/items/item-04/similar?k=6&modality=" + m);
      assertEquals(200, r.status(), r.text());
      assertEquals(m, r.json().get("modality").asText());
      assertEquals(6, r.json().get("items").size());
      double prev = Double.POSITIVE_INFINITY;
      for (JsonNode n : r.json().get("items")) {
        assertTrue(!n.get("item").asText().equals("item-04"));
        double s = n.get("score").asDouble();
        assertTrue(s <= prev && s <= 1.0001 && s >= -1.0001, r.text());
        prev = s;
      }
    }
    assertEquals("id", get("/v1/items/item-04/similar").json().get("modality").asText());
    assertError(get("/v1/items/ghost/similar"), 404, "unknown_item");
    assertError(get("/v1/items/item-04/similar?modality=audio"), 400, "bad_parameter");
    assertError(get("/v1/items/item-04/similar?k=-1"), 400, "bad_parameter");
  }

  @Test
  void encodeIs501WithoutAnEncoder() throws Exception {
    Res r = post("/v1/items/encode", "{\"fields\": {\"title\": \"a red mug\"}}");
    assertError(r, 501, "no_encoder");
    assertTrue(r.json().get("message").asText().contains("no item encoder"));
    assertError(post("/v1/items/encode", "{bad json"), 400, "bad_request");
    assertError(get("/v1/items/encode"), 405, "method_not_allowed");
  }

  @Test
  void unknownRoutesAre404Json() throws Exception {
    assertError(get("/v1/nothing/here"), 404, "unknown_route");
    assertError(call("GET", "/index.html", null, null), 404, "unknown_route");
    assertError(get("/v1/users/u01"), 404, "unknown_route");
    // no route reads files: path traversal is just an unknown route / id
    Res r = get("/v1/items/..%2F..%2Fetc%2Fpasswd/similar");
    assertTrue(r.status() == 404 || r.status() == 400, r.text());
  }

  @Test
  void metricsCountRequestsByRouteAndStatusWithHistograms() throws Exception {
    get("/v1/users/u02/recommendations?k=3");
    get("/v1/users/nobody/recommendations");
    Res r = call("GET", "/metrics", null, null);
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String t = r.text();
    assertTrue(t.contains("# TYPE cliprec_http_requests_total counter"), t);
    assertTrue(t.matches("(?s).*cliprec_http_requests_total\\{route=\"/v1/users/\\{id\\}/recommendations\","
        + "method=\"GET\",status=\"200\"} [1-9][0-9]*\n.*"), t);
    assertTrue(t.contains("route=\"/v1/users/{id}/recommendations\",method=\"GET\",status=\"404\"}"), t);
    assertTrue(t.contains("cliprec_http_request_duration_seconds_bucket{route=\"/v1/users/{id}/recommendations\",le=\"+Inf\"}"), t);
    assertTrue(t.contains("cliprec_http_request_duration_seconds_count{route="), t);
    assertTrue(t.contains("le=\"0.0005\"") && t.contains("le=\"2.5\"") && !t.contains("E-"), t);
    assertTrue(t.contains("cliprec_bundle_items 15"), t);
    assertTrue(server.metrics().count(ApiHandler.R_USER, 200) >= 1);
  }

  @Test
  void bindsLoopbackByDefault() {
    assertEquals("127.0.0.1", ServeOptions.defaults().host());
    assertEquals("127.0.0.1", server.address().getHostString());
  }

  @Test
  void gracefulStopFinishesInFlightRequestsAndRefusesNewOnes() throws Exception {
    ServingIndex index = new ServingIndex(Bundle.load(Fixtures.committed()), 100);
    RecommendationServer s = new RecommendationServer(index,
        ServeOptions.defaults().withPort(0).withThreads(1)).start();
    int port = s.port();
    String body = "{\"items\": [\"item-01\"], \"k\": 3}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket sock = new Socket("127.0.0.1", port)) {
      OutputStream out = sock.getOutputStream();
      // headers and half of the body: the request is in flight
      out.write(("POST /v1/sessions/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, 10);
      out.flush();
      Thread.sleep(200);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
        try {
          s.stop();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      // new connections are refused while the in-flight request is still open
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      out.write(bytes, 10, bytes.length - 10);
      out.flush();
      InputStream in = sock.getInputStream();
      String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
      assertTrue(resp.contains("mean_item_factors"), resp);
      stopping.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void requestBodiesAreReadOnlyFromTheRequest() throws IOException {
    // guard: ApiHandler has no file access code path (no java.nio.file / java.io.File use)
    String src = new String(ApiHandler.class.getResourceAsStream("ApiHandler.class").readAllBytes(),
        StandardCharsets.ISO_8859_1);
    assertTrue(!src.contains("java/nio/file/Files") && !src.contains("java/io/File;")
        && !src.contains("java/io/FileInputStream"), "ApiHandler must not touch the file system");
  }
}
