package io.cliprec.serve.http;

/**
 * Server settings.
 *
 * @param host address to bind ({@code 127.0.0.1} by default: loopback only)
 * @param port TCP port; 0 picks a free ephemeral port
 * @param token bearer token every {@code /v1} request must present, or null for none
 * @param maxBodyBytes largest request body accepted; larger bodies get 413
 * @param maxK largest {@code k} a query may ask for
 * @param threads requests handled in parallel (Jetty's acceptor and selector threads come on top)
 * @param stopTimeoutMillis how long a graceful stop waits for in-flight requests
 */
public record ServeOptions(String host, int port, String token, long maxBodyBytes, int maxK, int threads,
    long stopTimeoutMillis) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY = 1L << 20;

  public ServeOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("max body bytes must be positive, got " + maxBodyBytes);
    }
    if (maxK < 1) {
      throw new IllegalArgumentException("max k must be positive, got " + maxK);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (token != null && token.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty");
    }
  }

  /** Loopback, port 8080, no token, 1 MiB bodies, k &le; 1000, 32 threads, 10 s stop timeout. */
  public static ServeOptions defaults() {
    return new ServeOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BODY, 1000, 32, 10_000);
  }

  public ServeOptions withPort(int p) {
    return new ServeOptions(host, p, token, maxBodyBytes, maxK, threads, stopTimeoutMillis);
  }

  public ServeOptions withHost(String h) {
    return new ServeOptions(h, port, token, maxBodyBytes, maxK, threads, stopTimeoutMillis);
  }

  public ServeOptions withToken(String t) {
    return new ServeOptions(host, port, t, maxBodyBytes, maxK, threads, stopTimeoutMillis);
  }

  public ServeOptions withMaxBodyBytes(long b) {
    return new ServeOptions(host, port, token, b, maxK, threads, stopTimeoutMillis);
  }

  public ServeOptions withThreads(int t) {
    return new ServeOptions(host, port, token, maxBodyBytes, maxK, t, stopTimeoutMillis);
  }

  @Override
  public String toString() {
    return "ServeOptions[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "***")
        + ", maxBodyBytes=" + maxBodyBytes + ", maxK=" + maxK + ", threads=" + threads + "]";
  }
}
