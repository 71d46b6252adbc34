package io.cliprec.serve.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and latency histograms, rendered in the Prometheus text exposition format (0.0.4).
 * Lock-free on the request path (one {@link LongAdder} per series); thread-safe.
 *
 * <ul>
 *   <li>{@code cliprec_http_requests_total{route, method, status}}: counter
 *   <li>{@code cliprec_http_request_duration_seconds{route}}: histogram of handling time (request
 *       arrival to response written), buckets {@link #BUCKETS} in seconds
 *   <li>{@code cliprec_http_requests_in_flight}: gauge
 * </ul>
 * Route labels are route templates ({@code /v1/users/{id}/recommendations}), never raw paths, so the
 * number of series stays bounded.
 */
public final class Metrics {
  /** Histogram upper bounds in seconds (a final {@code +Inf} bucket is implied). */
  static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    2.5, 5};

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final LongAdder inFlight = new LongAdder();

  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
    final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(long nanos) {
      double s = nanos / 1e9;
      int b = 0;
      while (b < BUCKETS.length && s > BUCKETS[b]) {
        b++;
      }
      buckets[b].increment();
      sumNanos.add(nanos);
    }
  }

  void started() {
    inFlight.increment();
  }

  /** Records one finished request. */
  void finished(String route, String method, int status, long nanos) {
    inFlight.decrement();
    counts.computeIfAbsent(route + '\u0000' + method + '\u0000' + status, k -> new LongAdder()).increment();
    latency.computeIfAbsent(route, k -> new Histogram()).observe(nanos);
  }

  /** Number of finished requests for a route and status (tests). */
  public long count(String route, int status) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      String[] p = e.getKey().split("\u0000");
      if (p[0].equals(route) && p[2].equals(Integer.toString(status))) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /** The exposition text; {@code gauges} are extra {@code name -> value} gauges (no labels). */
  public String render(Map<String, Number> gauges) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP cliprec_http_requests_total HTTP requests by route template, method and status.\n");
    sb.append("# TYPE cliprec_http_requests_total counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
      String[] p = e.getKey().split("\u0000");
      sb.append("cliprec_http_requests_total{route=\"").append(esc(p[0])).append("\",method=\"")
          .append(esc(p[1])).append("\",status=\"").append(p[2]).append("\"} ")
          .append(e.getValue().sum()).append('\n');
    }
    sb.append("# HELP cliprec_http_request_duration_seconds Time to handle a request, by route template.\n");
    sb.append("# TYPE cliprec_http_request_duration_seconds histogram\n");
    for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
      String r = esc(e.getKey());
      long cum = 0;
      for (int b = 0; b <= BUCKETS.length; b++) {
        cum += e.getValue().buckets[b].sum();
        String le = b < BUCKETS.length ? fmt(BUCKETS[b]) : "+Inf";
        sb.append("cliprec_http_request_duration_seconds_bucket{route=\"").append(r).append("\",le=\"")
            .append(le).append("\"} ").append(cum).append('\n');
      }
      sb.append("cliprec_http_request_duration_seconds_sum{route=\"").append(r).append("\"} ")
          .append(fmt(e.getValue().sumNanos.sum() / 1e9)).append('\n');
      sb.append("cliprec_http_request_duration_seconds_count{route=\"").append(r).append("\"} ")
          .append(cum).append('\n');
    }
    sb.append("# HELP cliprec_http_requests_in_flight Requests being handled now.\n");
    sb.append("# TYPE cliprec_http_requests_in_flight gauge\n");
    sb.append("cliprec_http_requests_in_flight ").append(inFlight.sum()).append('\n');
    for (Map.Entry<String, Number> g : gauges.entrySet()) {
      sb.append("# TYPE ").append(g.getKey()).append(" gauge\n");
      sb.append(g.getKey()).append(' ').append(g.getValue()).append('\n');
    }
    return sb.toString();
  }

  /** Plain decimal ({@code 0.0005}, {@code 2.5}, {@code 1}): no exponent, no trailing zeros. */
  static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
