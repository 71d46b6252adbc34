package io.cliprec.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.clip.TinyClip;
import io.cliprec.serve.EncodedFixtures;
import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.encode.EncoderUnavailableException;
import io.cliprec.serve.encode.ItemEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /v1/items/encode over bundles whose features were written by a real {@code cliprec encode} run:
 * MiniLM text-only, and a random-weight {@link TinyClip} with images.
 */
class EncodeRouteTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path tmp;
  static Path textBundle;
  static Path clipBundle;
  static Path clipModel;
  static RecommendationServer textServer;
  static RecommendationServer clipServer;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    textBundle = EncodedFixtures.bundle(tmp.resolve("text"), null);
    clipModel = TinyClip.write(tmp.resolve("tinyclip"), TinyClip.Layout.JOINT, 5);
    clipBundle = EncodedFixtures.bundle(tmp.resolve("clip"), clipModel);
    ServeOptions o = ServeOptions.defaults().withPort(0).withMaxBodyBytes(1 << 20).withThreads(4);
    textServer = new RecommendationServer(new ServingIndex(Bundle.load(textBundle), 100), o).start();
    clipServer = new RecommendationServer(new ServingIndex(Bundle.load(clipBundle), 100), o).start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (textServer != null) {
      textServer.stop();
    }
    if (clipServer != null) {
      clipServer.stop();
    }
  }

  record Res(int status, JsonNode json, String text) {}

  static Res post(RecommendationServer s, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
    b.method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Res(r.statusCode(), JSON.readTree(r.body()), r.body());
  }

  static void assertError(Res r, int status, String code) {
    assertEquals(status, r.status(), r.text());
    assertEquals(code, r.json().get("error").asText(), r.text());
  }

  static String itemBody(int row, String imageBase64, int k) throws Exception {
    ObjectNode b = JSON.createObjectNode();
    ObjectNode f = b.putObject("fields");
    f.put("title", EncodedFixtures.ROWS[row][0]);
    f.put("brand", EncodedFixtures.ROWS[row][1]);
    f.put("description", EncodedFixtures.ROWS[row][2]);
    if (imageBase64 != null) {
      b.put("image", imageBase64);
    }
    b.put("k", k);
    return JSON.writeValueAsString(b);
  }

  @Test
  void bundleRecordsTheEncoderByPathAndHashNeverTheWeights() throws Exception {
    Bundle b = Bundle.load(textBundle);
    assertTrue(b.hasEncoder());
    Map<String, Object> e = b.encoder();
    assertEquals("minilm", e.get("type"));
    Map<?, ?> tm = (Map<?, ?>) e.get("text_model");
    assertEquals("minilm", tm.get("id"));
    assertEquals(64, tm.get("sha256").toString().length());
    assertEquals(List.of("title", "brand", "description", "global"), e.get("views"));
    assertEquals(List.of("title", "brand", "description"), e.get("text_fields"));
    assertEquals("sum", e.get("fusion"));
    assertEquals("chunk", e.get("long_text"));
    assertEquals(1, b.manifest().get("version"));
    Map<String, Object> c = Bundle.load(clipBundle).encoder();
    assertEquals("clip", c.get("type"));
    assertEquals(clipModel.toAbsolutePath().toString(), ((Map<?, ?>) c.get("clip")).get("path"));
    assertEquals(Boolean.TRUE, ((Map<?, ?>) c.get("text_model")).get("from_clip"));
    assertEquals("attention", c.get("fusion"));
    for (Path dir : List.of(textBundle, clipBundle)) {
      try (Stream<Path> s = Files.walk(dir)) {
        assertFalse(s.anyMatch(p -> p.toString().endsWith(".onnx")), "no model weights in " + dir);
      }
    }
  }

  @Test
  void textItemFindsItselfFirstWithCosineOne() throws Exception {
    FloatMatrix text = Bundle.load(textBundle).features().get("text");
    for (int row : new int[] {0, 6, 13}) {
      Res r = post(textServer, "/v1/items/encode", itemBody(row, null, 5));
      assertEquals(200, r.status(), r.text());
      assertEquals("text", r.json().get("modality").asText());
      assertEquals("minilm", r.json().get("encoder").asText());
      JsonNode vec = r.json().get("vector");
      assertEquals(384, vec.size());
      // the same vector cliprec encode wrote for that catalog row
      for (int c = 0; c < 384; c++) {
        assertEquals(text.get(row, c), (float) vec.get(c).asDouble(), 2e-4);
      }
      JsonNode sim = r.json().get("similar_items");
      assertEquals(5, sim.size());
      assertEquals(String.format("item-%02d", row), sim.get(0).get("item").asText());
      assertEquals(1.0, sim.get(0).get("score").asDouble(), 1e-4);
      assertTrue(sim.get(1).get("score").asDouble() < 0.99, r.text());
      JsonNode users = r.json().get("likely_users");
      assertEquals(5, users.size());
      assertEquals(expectedUsers(Bundle.load(textBundle), text, row, 5), userIds(users), r.text());
      for (int j = 1; j < users.size(); j++) {
        assertTrue(users.get(j - 1).get("score").asDouble() >= users.get(j).get("score").asDouble());
      }
    }
  }

  /** Brute force of the documented projection: weighted mean of the top-10 neighbours' factors. */
  static List<String> expectedUsers(Bundle b, FloatMatrix text, int row, int k) {
    int n = text.rows();
    int d = text.cols();
    double[] cos = new double[n];
    for (int i = 0; i < n; i++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int c = 0; c < d; c++) {
        dot += text.get(row, c) * text.get(i, c);
        na += text.get(row, c) * text.get(row, c);
        nb += text.get(i, c) * text.get(i, c);
      }
      cos[i] = dot / Math.sqrt(na * nb);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -cos[i]));
    FloatMatrix v = b.itemFactors();
    double[] f = new double[v.cols()];
    double ws = 0;
    for (int j = 0; j < 10; j++) {
      ws += Math.max(0, cos[order.get(j)]);
    }
    for (int j = 0; j < 10; j++) {
      for (int c = 0; c < v.cols(); c++) {
        f[c] += Math.max(0, cos[order.get(j)]) / ws * v.get(order.get(j), c);
      }
    }
    FloatMatrix u = b.userFactors();
    double[] s = new double[u.rows()];
    List<Integer> us = new ArrayList<>();
    for (int i = 0; i < u.rows(); i++) {
      for (int c = 0; c < u.cols(); c++) {
        s[i] += f[c] * u.get(i, c);
      }
      us.add(i);
    }
    us.sort(Comparator.comparingDouble((Integer i) -> -s[i]));
    List<String> out = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      out.add(b.users().id(us.get(j)));
    }
    return out;
  }

  static List<String> userIds(JsonNode users) {
    List<String> out = new ArrayList<>();
    users.forEach(u -> out.add(u.get("user").asText()));
    return out;
  }

  @Test
  void textEncoderErrors() throws Exception {
    String png = Base64.getEncoder().encodeToString(
        Files.readAllBytes(tmp.resolve("clip/images/item-03.png")));
    assertError(post(textServer, "/v1/items/encode", itemBody(3, png, 5)), 400, "image_unsupported");
    assertError(post(textServer, "/v1/items/encode", "{\"k\": 3}"), 400, "bad_request");
    assertError(post(textServer, "/v1/items/encode", "{\"fields\": {\"colour\": \"red\"}}"), 400,
        "bad_request");
    assertError(post(textServer, "/v1/items/encode", "{\"fields\": {\"title\": [1]}}"), 400, "bad_request");
    assertError(post(textServer, "/v1/items/encode", itemBody(3, null, 0)), 400, "bad_parameter");
    assertError(post(textServer, "/v1/items/encode", "{bad"), 400, "bad_request");
    // only the title given: the other views use the Missing. filler, still answers
    Res r = post(textServer, "/v1/items/encode", "{\"fields\": {\"title\": \"green tea\"}, \"k\": 3}");
    assertEquals(200, r.status(), r.text());
    assertEquals(3, r.json().get("similar_items").size());
    Res h = post(textServer, "/health", null);
    assertEquals(true, h.json().get("bundle").get("encoder_ready").asBoolean(), h.text());
  }

  @Test
  void clipItemWithItsImageFindsItselfFirst() throws Exception {
    for (int row : new int[] {3, 9}) {
      String png = Base64.getEncoder().encodeToString(Files.readAllBytes(
          tmp.resolve("clip/images/" + String.format("item-%02d", row) + ".png")));
      Res r = post(clipServer, "/v1/items/encode", itemBody(row, png, 4));
      assertEquals(200, r.status(), r.text());
      assertEquals("fused", r.json().get("modality").asText());
      assertEquals("clip", r.json().get("encoder").asText());
      assertEquals(2 * TinyClip.DIM, r.json().get("vector").size());
      assertEquals(2 * TinyClip.DIM, r.json().get("dim").asInt());
      JsonNode sim = r.json().get("similar_items");
      assertEquals(4, sim.size());
      assertEquals(String.format("item-%02d", row), sim.get(0).get("item").asText(), r.text());
      assertEquals(1.0, sim.get(0).get("score").asDouble(), 1e-4);
      assertEquals(4, r.json().get("likely_users").size());
    }
    // data URI form and text only (compared with the text features)
    String png = Base64.getEncoder().encodeToString(Files.readAllBytes(tmp.resolve("clip/images/item-00.png")));
    assertEquals(200, post(clipServer, "/v1/items/encode", itemBody(0, "data:image/png;base64," + png, 2))
        .status());
    Res t = post(clipServer, "/v1/items/encode", itemBody(5, null, 3));
    assertEquals(200, t.status(), t.text());
    assertEquals("text", t.json().get("modality").asText());
    assertEquals(TinyClip.DIM, t.json().get("vector").size());
    assertError(post(clipServer, "/v1/items/encode", itemBody(5, "not base64 !!", 3)), 400, "bad_image");
    assertError(post(clipServer, "/v1/items/encode", itemBody(5, Base64.getEncoder().encodeToString(
        "just some text".getBytes()), 3)), 400, "bad_image");
    assertError(post(clipServer, "/v1/items/encode", "{\"fields\": {\"title\": \"x y\"}, \"image\": 5}"), 400,
        "bad_image");
  }

  /** A multipart/form-data body: text parts (name, value) and an optional file part {@code image}. */
  static byte[] multipart(String boundary, List<String[]> textParts, byte[] image) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.nio.charset.Charset u = java.nio.charset.StandardCharsets.UTF_8;
    for (String[] p : textParts) {
      b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p[0] + "\"\r\n\r\n"
          + p[1] + "\r\n").getBytes(u));
    }
    if (image != null) {
      b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\""
          + "\r\nContent-Type: image/png\r\n\r\n").getBytes(u));
      b.writeBytes(image);
      b.writeBytes("\r\n".getBytes(u));
    }
    b.writeBytes(("--" + boundary + "--\r\n").getBytes(u));
    return b.toByteArray();
  }

  static Res postMultipart(RecommendationServer s, String boundary, byte[] body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/items/encode"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
    return new Res(res.statusCode(), JSON.readTree(res.body()), res.body());
  }

  /**
   * A multipart request that declares {@code contentLength} bytes and sends only its headers, read back
   * on a raw socket. The server rejects an oversized body from Content-Length alone and then closes the
   * connection, so a client still writing a 1 MiB body may see that reset before the 413 (HttpClient
   * does, now and then); sending no body reads the 413 without the race.
   */
  static Res postDeclaredOnly(RecommendationServer s, String boundary, long contentLength) throws Exception {
    try (java.net.Socket so = new java.net.Socket("127.0.0.1", s.port())) {
      so.setSoTimeout(30_000);
      String head = "POST /v1/items/encode HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + contentLength
          + "\r\nConnection: close\r\n\r\n";
      so.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      so.getOutputStream().flush();
      String text = new String(so.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
      String body = text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1); // also inside one chunk
      return new Res(status, JSON.readTree(body), body);
    }
  }

  static List<String[]> rowParts(int row, String k) {
    List<String[]> p = new ArrayList<>();
    p.add(new String[] {"title", EncodedFixtures.ROWS[row][0]});
    p.add(new String[] {"brand", EncodedFixtures.ROWS[row][1]});
    p.add(new String[] {"description", EncodedFixtures.ROWS[row][2]});
    if (k != null) {
      p.add(new String[] {"k", k});
    }
    return p;
  }

  @Test
  void multipartUploadAnswersAsTheJsonForm() throws Exception {
    String bd = "----cliprecBoundary7MA4YWxk";
    // text only: the same answer as the JSON body
    Res m = postMultipart(textServer, bd, multipart(bd, rowParts(6, "4"), null));
    assertEquals(200, m.status(), m.text());
    Res j = post(textServer, "/v1/items/encode", itemBody(6, null, 4));
    assertEquals(j.json().get("vector"), m.json().get("vector"));
    assertEquals(j.json().get("similar_items"), m.json().get("similar_items"));
    assertEquals(4, m.json().get("similar_items").size());
    // fields as one JSON part
    List<String[]> asJson = List.of(new String[] {"fields", "{\"title\": \"" + EncodedFixtures.ROWS[6][0]
        + "\", \"brand\": \"" + EncodedFixtures.ROWS[6][1] + "\", \"description\": \"" + EncodedFixtures.ROWS[6][2]
        + "\"}"}, new String[] {"k", "4"});
    assertEquals(j.json().get("vector"), postMultipart(textServer, bd, multipart(bd, asJson, null)).json()
        .get("vector"));
    // CLIP with an image file part: the same as base64 in JSON, and the item finds itself
    byte[] png = Files.readAllBytes(tmp.resolve("clip/images/item-09.png"));
    Res mi = postMultipart(clipServer, bd, multipart(bd, rowParts(9, "3"), png));
    assertEquals(200, mi.status(), mi.text());
    assertEquals("fused", mi.json().get("modality").asText());
    assertEquals("item-09", mi.json().get("similar_items").get(0).get("item").asText());
    Res ji = post(clipServer, "/v1/items/encode", itemBody(9, Base64.getEncoder().encodeToString(png), 3));
    assertEquals(ji.json().get("vector"), mi.json().get("vector"));
    // only an image (no text fields) is accepted by a CLIP encoder
    assertEquals(200, postMultipart(clipServer, bd, multipart(bd, List.of(), png)).status());
  }

  @Test
  void multipartErrors() throws Exception {
    String bd = "xYzBoundary";
    byte[] png = Files.readAllBytes(tmp.resolve("clip/images/item-02.png"));
    assertError(postMultipart(textServer, bd, multipart(bd, rowParts(2, null), png)), 400, "image_unsupported");
    assertError(postMultipart(clipServer, bd, multipart(bd, rowParts(2, null), "not an image".getBytes())),
        400, "bad_image");
    assertError(postMultipart(clipServer, bd, multipart(bd, rowParts(2, null), new byte[0])), 400, "bad_image");
    assertError(postMultipart(textServer, bd, multipart(bd, rowParts(2, "many"), null)), 400, "bad_request");
    assertError(postMultipart(textServer, bd, multipart(bd, rowParts(2, "0"), null)), 400, "bad_parameter");
    assertError(postMultipart(textServer, bd, multipart(bd, List.<String[]>of(new String[] {"colour", "red"}),
        null)), 400, "bad_request");
    List<String[]> twice = rowParts(2, null);
    twice.add(new String[] {"title", "again"});
    assertError(postMultipart(textServer, bd, multipart(bd, twice, null)), 400, "bad_request");
    assertError(postMultipart(textServer, bd, multipart(bd, List.<String[]>of(new String[] {"fields", "[1]"}),
        null)), 400, "bad_request");
    // truncated body (no closing boundary) and a body that does not use the declared boundary
    byte[] ok = multipart(bd, rowParts(2, null), null);
    assertError(postMultipart(textServer, bd, java.util.Arrays.copyOf(ok, ok.length - 20)), 400, "bad_request");
    assertError(postMultipart(textServer, "otherBoundary", ok), 400, "bad_request");
    // over --max-body-bytes (1 MiB here): 413 as for JSON
    byte[] big = new byte[(1 << 20) + 10];
    assertError(postDeclaredOnly(clipServer, bd, multipart(bd, rowParts(2, null), big).length), 413,
        "body_too_large");
    // the servers still answer
    assertEquals(200, postMultipart(textServer, bd, multipart(bd, rowParts(2, null), null)).status());
  }

  @Test
  @SuppressWarnings("unchecked")
  void missingOrChangedModelDisablesOnlyTheEncodeRoute() throws Exception {
    Map<String, Object> spec = new LinkedHashMap<>(Bundle.load(clipBundle).encoder());
    // changed weights: same directory layout, different sha256
    Path other = TinyClip.write(tmp.resolve("tinyclip-other"), TinyClip.Layout.JOINT, 6);
    Map<String, Object> clip = new LinkedHashMap<>((Map<String, Object>) spec.get("clip"));
    clip.put("path", other.toAbsolutePath().toString());
    spec.put("clip", clip);
    EncoderUnavailableException e = assertThrows(EncoderUnavailableException.class,
        () -> ItemEncoder.open(spec, 1));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    // a missing model directory (the server-level behaviour is in the next test)
    Path gone = tmp.resolve("gone");
    clip.put("path", gone.toString());
    e = assertThrows(EncoderUnavailableException.class, () -> ItemEncoder.open(spec, 1));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
    Map<String, Object> none = new LinkedHashMap<>(Map.of("type", "none"));
    assertEquals(501, assertThrows(EncoderUnavailableException.class, () -> ItemEncoder.open(none, 1))
        .status());
  }

  @Test
  void serverWithAMissingModelStillServesTheRest() throws Exception {
    Path model = TinyClip.write(tmp.resolve("tinyclip-moving"), TinyClip.Layout.JOINT, 5);
    Path b = EncodedFixtures.bundle(tmp.resolve("moving"), model);
    try (Stream<Path> s = Files.walk(model)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    ServeOptions o = ServeOptions.defaults().withPort(0).withThreads(2);
    RecommendationServer s = new RecommendationServer(new ServingIndex(Bundle.load(b), 50), o).start();
    try {
      Res r = post(s, "/v1/items/encode", itemBody(1, null, 3));
      assertError(r, 503, "encoder_unavailable");
      assertTrue(r.json().get("message").asText().contains(model.toAbsolutePath().toString()), r.text());
      Res h = post(s, "/health", null);
      assertEquals(200, h.status());
      assertEquals(false, h.json().get("bundle").get("encoder_ready").asBoolean());
      assertNotNull(h.json().get("bundle").get("encoder_error"));
      Res sim = post(s, "/v1/items/item-01/similar?k=3&modality=text", null);
      assertEquals(200, sim.status(), sim.text());
      assertEquals(3, sim.json().get("items").size());
    } finally {
      s.stop();
    }
  }
}
