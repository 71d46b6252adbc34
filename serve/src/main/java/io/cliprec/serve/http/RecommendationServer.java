package io.cliprec.serve.http;

import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.encode.EncoderUnavailableException;
import io.cliprec.serve.encode.ItemEncoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP recommendation service (Jetty 12) over a {@link ServingIndex}; routes in {@link ApiHandler}.
 *
 * <p>Lifecycle: {@link #start} binds (loopback by default) and returns; {@link #stop} is graceful: the
 * connector stops accepting, in-flight requests finish (up to {@link ServeOptions#stopTimeoutMillis}),
 * then threads end. {@link #stopOnShutdown} makes SIGTERM / SIGINT (JVM shutdown) do the same.
 * Errors Jetty raises before a route runs (bad URI, oversized headers) are JSON too.
 */
public final class RecommendationServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendationServer.class);
  private final Server server;
  private final ServerConnector connector;
  private final Metrics metrics = new Metrics();
  private final ServeOptions opts;
  /** The bundle's item encoder (null when none or unusable); closed on {@link #stop}. */
  private final ItemEncoder encoder;

  public RecommendationServer(ServingIndex index, ServeOptions opts) {
    this.opts = opts;
    // request threads + Jetty's own (1 acceptor, the selectors, a little slack), so that --threads N
    // means N requests in parallel on any core count; the job queue is bounded (overload sheds
    // connections instead of growing memory)
    int selectors = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    int jettyThreads = 1 + selectors + 2;
    QueuedThreadPool pool = new QueuedThreadPool(opts.threads() + jettyThreads,
        Math.min(4, opts.threads()) + jettyThreads, 60_000,
        new BlockingArrayQueue<>(256, 256, 8192));
    pool.setName("cliprec-serve");
    pool.setReservedThreads(0);
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    connector = new ServerConnector(server, 1, selectors, new HttpConnectionFactory(http));
    connector.setHost(opts.host());
    connector.setPort(opts.port());
    server.addConnector(connector);
    GracefulHandler graceful = new GracefulHandler();
    ItemEncoder enc = null;
    EncoderUnavailableException encErr = null;
    try {
      enc = ItemEncoder.open(index.bundle().encoder(), 1);
    } catch (EncoderUnavailableException e) {
      encErr = e;
      if (index.bundle().hasEncoder()) {
        LOG.warn("POST /v1/items/encode disabled ({}): {}", e.status(), e.getMessage());
      }
    }
    encoder = enc;
    graceful.setHandler(new ApiHandler(index, opts, metrics, enc, encErr));
    server.setHandler(graceful);
    server.setStopTimeout(opts.stopTimeoutMillis());
    server.setErrorHandler(new JsonErrors());
  }

  /** Starts listening; returns once bound. */
  public RecommendationServer start() throws Exception {
    server.start();
    return this;
  }

  /** Graceful stop at JVM shutdown (SIGTERM, SIGINT). Call before {@link #start}. */
  public RecommendationServer stopOnShutdown() {
    server.setStopAtShutdown(true);
    return this;
  }

  /** The bound port (the ephemeral one when {@link ServeOptions#port} was 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(opts.host(), port());
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Graceful stop: no new connections, in-flight requests finish, then threads end. */
  public void stop() throws Exception {
    try {
      server.stop();
    } finally {
      if (encoder != null) {
        encoder.close();
      }
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  /** Jetty-level errors (bad URI, header too large, ...) as the API's JSON error body. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Object st = request.getAttribute(ERROR_STATUS);
      int status = st instanceof Integer ? (Integer) st : 500;
      Object msg = request.getAttribute(ERROR_MESSAGE);
      String code = status == 400 ? "bad_request" : status == 413 ? "body_too_large"
          : status == 431 ? "headers_too_large" : "http_" + status;
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiHandler.JSON_TYPE);
      response.write(true, ByteBuffer.wrap(ApiHandler.errorBody(status, code,
          msg == null ? "HTTP " + status : msg.toString())), callback);
      return true;
    }
  }
}
