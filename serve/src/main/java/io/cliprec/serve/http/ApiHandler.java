package io.cliprec.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.serve.ApiException;
import io.cliprec.serve.Scored;
import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.encode.EncoderUnavailableException;
import io.cliprec.serve.encode.ImageBytes;
import io.cliprec.serve.encode.ItemEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API. Routes (external ids in and out, JSON bodies, errors as
 * {@code {"error": code, "message": text}}):
 * <pre>
 * GET  /health                                   liveness + bundle summary (no token needed)
 * GET  /metrics                                  Prometheus text (no token needed)
 * GET  /v1/users/{id}/recommendations?k=20&amp;exclude_seen=true
 * POST /v1/sessions/recommendations              {"items": ["id", ...], "k": 20, "exclude_seen": true}
 * GET  /v1/items/{id}/similar?k=20&amp;modality=id|image|text|fused
 * POST /v1/items/encode                          {"fields": {...}, "image": "base64" (optional), "k": 20}, or
 *                                                multipart/form-data: field parts, an "image" file part, "k"
 * </pre>
 * Statuses: 400 malformed parameter or body, 401 missing/wrong bearer token, 404 unknown id or route,
 * 405 wrong method, 413 body over the limit, 501 encode without an encoder, 503 encode with an encoder
 * whose model files are missing or changed. No route takes a file path.
 */
final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  static final String JSON_TYPE = "application/json; charset=utf-8";
  static final String R_HEALTH = "/health";
  static final String R_METRICS = "/metrics";
  static final String R_USER = "/v1/users/{id}/recommendations";
  static final String R_SESSION = "/v1/sessions/recommendations";
  static final String R_SIMILAR = "/v1/items/{id}/similar";
  static final String R_ENCODE = "/v1/items/encode";
  static final String R_OTHER = "other";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Most parts a multipart encode body may have. */
  private static final int MAX_PARTS = 64;

  private final ServingIndex index;
  private final ServeOptions opts;
  private final Metrics metrics;
  private final byte[] tokenDigest;
  private final Map<String, Object> health;
  /** The bundle's item encoder, or null (then {@link #encoderError} says why). */
  private final ItemEncoder encoder;
  private final EncoderUnavailableException encoderError;

  ApiHandler(ServingIndex index, ServeOptions opts, Metrics metrics) {
    this(index, opts, metrics, null, new EncoderUnavailableException(501, "no_encoder",
        "no item encoder was loaded", null));
  }

  /**
   * @param encoder the loaded encoder or null
   * @param encoderError why there is none (its status/code/message answer the encode route)
   */
  ApiHandler(ServingIndex index, ServeOptions opts, Metrics metrics, ItemEncoder encoder,
      EncoderUnavailableException encoderError) {
    this.encoder = encoder;
    this.encoderError = encoderError;
    this.index = index;
    this.opts = opts;
    this.metrics = metrics;
    this.tokenDigest = opts.token() == null ? null : sha256("Bearer " + opts.token());
    Bundle b = index.bundle();
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "ok");
    Map<String, Object> bs = new LinkedHashMap<>();
    bs.put("format", b.manifest().get("format"));
    bs.put("version", b.manifest().get("version"));
    bs.put("created", b.manifest().get("created"));
    bs.put("model", b.modelName());
    bs.put("users", b.users().size());
    bs.put("items", b.items().size());
    bs.put("dim", b.itemFactors().cols());
    bs.put("modalities", new ArrayList<>(index.modalities()));
    bs.put("sessions", b.sessionEncoder() == null ? ServingIndex.FALLBACK : b.sessionEncoder().method());
    bs.put("session_max_length", b.sessionEncoder() == null ? null : b.sessionEncoder().maxLength());
    bs.put("encoder", b.hasEncoder());
    bs.put("encoder_type", String.valueOf(b.encoder().get("type")));
    bs.put("encoder_ready", encoder != null);
    if (encoder == null && b.hasEncoder() && encoderError != null) {
      bs.put("encoder_error", encoderError.getMessage());
    }
    h.put("bundle", bs);
    this.health = h;
  }

  /** A route's response. */
  private record Reply(int status, String contentType, byte[] body) {}

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long t0 = System.nanoTime();
    metrics.started();
    String method = request.getMethod();
    String route = R_OTHER;
    Reply reply;
    try {
      String rawPath = request.getHttpURI().getPath();
      List<String> seg = segments(rawPath);
      route = route(seg);
      reply = dispatch(route, seg, method, request);
    } catch (ApiException e) {
      reply = error(e.status(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", method, request.getHttpURI().getPath(), e);
      reply = error(500, "internal_error", "internal error: " + e.getClass().getSimpleName());
    }
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (reply.status() == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"cliprec\"");
    }
    if (reply.status() == 405) {
      response.getHeaders().put(HttpHeader.ALLOW, allowed(route));
    }
    if (reply.status() >= 400 && hasBody(request)) {
      // an error answered before (or instead of) reading the request body, 413 included: Jetty then closes
      // the connection once the response is written, so say so, or a client that pools connections reuses
      // one that is about to close and sees an empty reply
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    metrics.finished(route, method, reply.status(), System.nanoTime() - t0);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }

  private static boolean hasBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private Reply dispatch(String route, List<String> seg, String method, Request request) {
    if (route.equals(R_HEALTH) || route.equals(R_METRICS)) {
      requireMethod(route, method);
      if (route.equals(R_HEALTH)) {
        return json(200, health);
      }
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.render(gauges()).getBytes(StandardCharsets.UTF_8));
    }
    if (!seg.isEmpty() && seg.get(0).equals("v1")) {
      checkToken(request);
    }
    if (route.equals(R_OTHER)) {
      throw ApiException.notFound("unknown_route", "no route for " + method + " "
          + request.getHttpURI().getPath());
    }
    requireMethod(route, method);
    Fields q = query(request);
    switch (route) {
      case R_USER: {
        String user = seg.get(2);
        int k = intParam(q, "k", 20);
        boolean excludeSeen = boolParam(q, "exclude_seen", true);
        List<Scored> top = index.forUser(user, k, excludeSeen);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user);
        out.put("k", k);
        out.put("exclude_seen", excludeSeen);
        out.put("model", index.bundle().modelName());
        out.put("items", items(top));
        return json(200, out);
      }
      case R_SIMILAR: {
        String item = seg.get(2);
        int k = intParam(q, "k", 20);
        String modality = q.getValue("modality");
        if (modality == null) {
          modality = ServingIndex.ID;
        }
        List<Scored> top = index.similar(item, k, modality);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("item", item);
        out.put("k", k);
        out.put("modality", modality);
        out.put("metric", "cosine");
        out.put("items", items(top));
        return json(200, out);
      }
      case R_SESSION: {
        JsonNode body = jsonBody(request, true);
        JsonNode itemsNode = body.get("items");
        if (itemsNode == null || !itemsNode.isArray()) {
          throw ApiException.badRequest("body must have \"items\": an array of item ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode n : itemsNode) {
          if (n.isTextual() || n.isIntegralNumber()) {
            ids.add(n.asText());
          } else {
            throw ApiException.badRequest("\"items\" must hold strings (item ids), found " + n.getNodeType());
          }
        }
        int k = bodyK(body);
        boolean excludeSeen = true;
        JsonNode ex = body.get("exclude_seen");
        if (ex != null && !ex.isNull()) {
          if (!ex.isBoolean()) {
            throw ApiException.badRequest("\"exclude_seen\" must be true or false");
          }
          excludeSeen = ex.booleanValue();
        }
        ServingIndex.SessionAnswer a = index.forSession(ids, k, excludeSeen);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("k", k);
        out.put("model", index.bundle().modelName());
        out.put("method", a.method());
        out.put("strategy", a.method().equals(ServingIndex.FALLBACK) ? "mean_item_factors"
            : "sequence_encoder_last_position");
        out.put("exclude_seen", excludeSeen);
        out.put("session_items", ids.size());
        out.put("session_items_used", a.itemsUsed());
        out.put("items", items(a.items()));
        return json(200, out);
      }
      case R_ENCODE:
        return encode(encodeInput(request));
      default:
        throw ApiException.notFound("unknown_route", "no route for " + method + " "
            + request.getHttpURI().getPath());
    }
  }

  /**
   * An encode request's content, from either body form.
   *
   * @param fields catalog field name &rarr; value
   * @param image the image: base64 text (JSON), raw bytes (multipart) or null
   * @param k list length
   */
  private record EncodeInput(Map<String, String> fields, Object image, int k) {}

  /** The encode body: multipart/form-data when the Content-Type says so, else a JSON object. */
  private EncodeInput encodeInput(Request request) {
    String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      return multipartInput(ct, readBody(request));
    }
    JsonNode body = jsonBody(request, true);
    JsonNode fn = body.get("fields");
    if (fn == null || !fn.isObject()) {
      throw ApiException.badRequest("body must have \"fields\": an object of catalog text fields"
          + (encoder == null ? "" : " " + encoder.fields()));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : fn.properties()) {
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      if (!v.isValueNode()) {
        throw ApiException.badRequest("field \"" + e.getKey() + "\" must be a string or number");
      }
      fields.put(e.getKey(), v.asText());
    }
    JsonNode in = body.get("image");
    Object image = null;
    if (in != null && !in.isNull()) {
      if (!in.isTextual()) {
        throw new ApiException(400, "bad_image", "\"image\" must be a base64 string");
      }
      image = in.textValue();
    }
    return new EncodeInput(fields, image, bodyK(body));
  }

  /**
   * multipart/form-data: a part {@code image} holds the image file's bytes, a part {@code k} the list
   * length, a part {@code fields} (optional) a JSON object of fields, every other part one catalog field
   * (UTF-8 text). Parsed in memory from the already size-checked body; nothing is written to disk.
   */
  private EncodeInput multipartInput(String contentType, byte[] body) {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw ApiException.badRequest("multipart/form-data Content-Type without a boundary");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxParts(MAX_PARTS);
    parser.setMaxLength(opts.maxBodyBytes());
    parser.setMaxMemoryFileSize(opts.maxBodyBytes()); // parts stay in memory: the body is already bounded
    parser.setUseFilesForPartsWithoutFileName(false);
    Map<String, String> fields = new LinkedHashMap<>();
    Object image = null;
    int k = 20;
    try (MultiPartFormData.Parts parts = parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body)))
        .get(30, java.util.concurrent.TimeUnit.SECONDS)) {
      for (MultiPart.Part part : parts) {
        String name = part.getName();
        if (name == null || name.isEmpty()) {
          throw ApiException.badRequest("multipart part without a name");
        }
        if (name.equals("image")) {
          if (image != null) {
            throw new ApiException(400, "bad_image", "more than one \"image\" part");
          }
          ByteBuffer bb = Content.Source.asByteBuffer(part.getContentSource());
          byte[] bytes = new byte[bb.remaining()];
          bb.get(bytes);
          image = bytes;
          continue;
        }
        String value = part.getContentAsString(StandardCharsets.UTF_8);
        if (name.equals("k")) {
          try {
            k = Integer.parseInt(value.trim());
          } catch (NumberFormatException e) {
            throw ApiException.badRequest("\"k\" must be an integer, got '" + value + "'");
          }
        } else if (name.equals("fields")) {
          JsonNode fn;
          try {
            fn = JSON.readTree(value);
          } catch (IOException e) {
            throw ApiException.badRequest("part \"fields\" is not JSON: " + firstLine(e.getMessage()));
          }
          if (fn == null || !fn.isObject()) {
            throw ApiException.badRequest("part \"fields\" must be a JSON object");
          }
          for (Map.Entry<String, JsonNode> e : fn.properties()) {
            if (!e.getValue().isNull()) {
              if (!e.getValue().isValueNode()) {
                throw ApiException.badRequest("field \"" + e.getKey() + "\" must be a string or number");
              }
              putField(fields, e.getKey(), e.getValue().asText());
            }
          }
        } else {
          putField(fields, name, value);
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw ApiException.badRequest("malformed multipart body: " + firstLine(c.getMessage()));
    } catch (java.util.concurrent.TimeoutException | IOException e) {
      throw ApiException.badRequest("malformed multipart body: " + firstLine(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "interrupted while reading the body");
    }
    return new EncodeInput(fields, image, k);
  }

  private static void putField(Map<String, String> fields, String name, String value) {
    if (fields.put(name, value) != null) {
      throw ApiException.badRequest("field \"" + name + "\" is given twice");
    }
  }

  /** POST /v1/items/encode (see the README's API section). */
  private Reply encode(EncodeInput input) {
    if (encoder == null) {
      throw new ApiException(encoderError.status(), encoderError.code(), encoderError.getMessage());
    }
    Map<String, String> fields = input.fields();
    boolean anyKnown = false;
    for (String f : encoder.fields()) {
      anyKnown |= fields.containsKey(f);
    }
    boolean hasImage = input.image() != null;
    if (!anyKnown && !hasImage) {
      throw ApiException.badRequest("\"fields\" has none of this encoder's text fields " + encoder.fields());
    }
    int k = input.k();
    if (k < 1 || k > index.maxK()) {
      throw new ApiException(400, "bad_parameter", "k must be in [1, " + index.maxK() + "], got " + k);
    }
    BufferedImage image = null;
    if (hasImage) {
      if (!encoder.acceptsImages()) {
        throw new ApiException(400, "image_unsupported", "this bundle's encoder ("
            + encoder.type() + ") is text-only: images can only be encoded with a CLIP encoder; "
            + "send the text fields without \"image\"");
      }
      try {
        image = input.image() instanceof byte[] ? ImageBytes.decode((byte[]) input.image())
            : ImageBytes.decode((String) input.image());
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "bad_image", e.getMessage());
      }
    }
    ItemEncoder.Encoded enc = encoder.encode(fields, image);
    float[] vector;
    String modality;
    if (enc.image == null) {
      vector = enc.text;
      modality = "text";
    } else {
      // the serving index's fused view: [unit image, unit text] / sqrt(2)
      float[] ui = ServingIndex.unit(enc.image);
      float[] ut = ServingIndex.unit(enc.text);
      vector = new float[ui.length + ut.length];
      float s = (float) (1 / Math.sqrt(2));
      for (int c = 0; c < ui.length; c++) {
        vector[c] = ui[c] * s;
      }
      for (int c = 0; c < ut.length; c++) {
        vector[ui.length + c] = ut[c] * s;
      }
      modality = ServingIndex.FUSED;
    }
    ServingIndex.NewItem placed = index.placeNew(vector, modality, k);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", k);
    out.put("encoder", encoder.type());
    out.put("modality", modality);
    out.put("metric", "cosine");
    out.put("dim", vector.length);
    out.put("vector", vector);
    out.put("similar_items", items(placed.similar()));
    List<Map<String, Object>> users = new ArrayList<>(placed.likelyUsers().size());
    for (Scored s : placed.likelyUsers()) {
      Map<String, Object> e = new LinkedHashMap<>(4);
      e.put("user", s.item());
      e.put("score", s.score());
      users.add(e);
    }
    out.put("likely_users", users);
    out.put("likely_users_strategy", "similarity-weighted mean of the item factors of the "
        + ServingIndex.PROJECTION_NEIGHBOURS + " most similar items, dot product with user factors");
    if (!enc.notes.isEmpty()) {
      out.put("notes", enc.notes);
    }
    return json(200, out);
  }

  /** {@code "k"} of a JSON body (default 20). */
  private static int bodyK(JsonNode body) {
    JsonNode kn = body.get("k");
    if (kn == null || kn.isNull()) {
      return 20;
    }
    if (!kn.isIntegralNumber() || !kn.canConvertToInt()) {
      throw ApiException.badRequest("\"k\" must be an integer");
    }
    return kn.intValue();
  }

  private Map<String, Number> gauges() {
    Map<String, Number> g = new LinkedHashMap<>();
    g.put("cliprec_bundle_users", index.bundle().users().size());
    g.put("cliprec_bundle_items", index.bundle().items().size());
    Runtime rt = Runtime.getRuntime();
    g.put("cliprec_jvm_heap_used_bytes", rt.totalMemory() - rt.freeMemory());
    g.put("cliprec_jvm_heap_max_bytes", rt.maxMemory());
    return g;
  }

  private static List<Map<String, Object>> items(List<Scored> top) {
    List<Map<String, Object>> list = new ArrayList<>(top.size());
    for (Scored s : top) {
      Map<String, Object> e = new LinkedHashMap<>(4);
      e.put("item", s.item());
      e.put("score", s.score());
      list.add(e);
    }
    return list;
  }

  /** Route template of a path (split into decoded segments), or {@link #R_OTHER}. */
  static String route(List<String> seg) {
    int n = seg.size();
    if (n == 1 && seg.get(0).equals("health")) {
      return R_HEALTH;
    }
    if (n == 1 && seg.get(0).equals("metrics")) {
      return R_METRICS;
    }
    if (n >= 2 && seg.get(0).equals("v1")) {
      if (n == 4 && seg.get(1).equals("users") && seg.get(3).equals("recommendations")) {
        return R_USER;
      }
      if (n == 3 && seg.get(1).equals("sessions") && seg.get(2).equals("recommendations")) {
        return R_SESSION;
      }
      if (n == 3 && seg.get(1).equals("items") && seg.get(2).equals("encode")) {
        return R_ENCODE;
      }
      if (n == 4 && seg.get(1).equals("items") && seg.get(3).equals("similar")) {
        return R_SIMILAR;
      }
    }
    return R_OTHER;
  }

  private static String allowed(String route) {
    return route.equals(R_SESSION) || route.equals(R_ENCODE) ? "POST" : "GET";
  }

  private static void requireMethod(String route, String method) {
    String want = allowed(route);
    if (!want.equals(method) && !(want.equals("GET") && method.equals("HEAD"))) {
      throw new ApiException(405, "method_not_allowed", route + " accepts " + want + ", not " + method);
    }
  }

  /** Path segments, percent-decoded one by one (so an encoded '/' stays inside its id). */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null) {
      return out;
    }
    for (String s : rawPath.split("/")) {
      if (s.isEmpty()) {
        continue;
      }
      try {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed percent-encoding in path segment '" + s + "'");
      }
    }
    return out;
  }

  private static Fields query(Request request) {
    try {
      return Request.extractQueryParameters(request);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("malformed query string: " + e.getMessage());
    }
  }

  private static int intParam(Fields q, String name, int def) {
    String v = q.getValue(name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad_parameter", name + " must be an integer, got '" + v + "'");
    }
  }

  private static boolean boolParam(Fields q, String name, boolean def) {
    String v = q.getValue(name);
    if (v == null) {
      return def;
    }
    switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new ApiException(400, "bad_parameter", name + " must be true or false, got '" + v + "'");
    }
  }

  private void checkToken(Request request) {
    if (tokenDigest == null) {
      return;
    }
    String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    // digests have equal length, so the comparison time does not depend on the presented token
    if (h == null || !MessageDigest.isEqual(tokenDigest, sha256(h))) {
      throw new ApiException(401, "unauthorized", h == null
          ? "missing 'Authorization: Bearer <token>' header" : "invalid bearer token");
    }
  }

  /**
   * The request body as a JSON object, read up to the size limit (413 beyond it, checked against
   * Content-Length first and against the bytes actually read for chunked bodies).
   *
   * @param required whether an empty body is an error (else null is returned for it)
   */
  private JsonNode jsonBody(Request request, boolean required) {
    byte[] body = readBody(request);
    if (body.length == 0) {
      if (required) {
        throw ApiException.badRequest("a JSON object body is required");
      }
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("malformed JSON body: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("body must be a JSON object");
    }
    return node;
  }

  /**
   * The request body, read up to the size limit (413 beyond it, checked against Content-Length first and
   * against the bytes actually read for chunked bodies).
   */
  private byte[] readBody(Request request) {
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    long limit = opts.maxBodyBytes();
    if (declared > limit) {
      throw tooLarge(declared);
    }
    try (InputStream in = Request.asInputStream(request)) {
      ByteArrayOutputStream bo = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw tooLarge(total);
        }
        bo.write(buf, 0, n);
      }
      return bo.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read request body: " + e.getMessage());
    }
  }

  private ApiException tooLarge(long n) {
    return new ApiException(413, "body_too_large", "request body of " + n + "+ bytes exceeds the limit of "
        + opts.maxBodyBytes() + " bytes");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static Reply json(int status, Object value) {
    try {
      return new Reply(status, JSON_TYPE, JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply error(int status, String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", code);
    m.put("message", message);
    m.put("status", status);
    return json(status, m);
  }

  /** JSON error body bytes (for the server-level error handler). */
  static byte[] errorBody(int status, String code, String message) {
    return error(status, code, message).body();
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
