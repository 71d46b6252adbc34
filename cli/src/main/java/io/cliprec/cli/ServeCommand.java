package io.cliprec.cli;

import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.bundle.Bundle;
import io.cliprec.serve.http.RecommendationServer;
import io.cliprec.serve.http.ServeOptions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec serve}: the HTTP recommendation service over a bundle. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves a model bundle (from 'cliprec bundle') over HTTP: JSON API under /v1 "
        + "(users/{id}/recommendations, sessions/recommendations, items/{id}/similar, items/encode), "
        + "GET /health and GET /metrics (Prometheus).",
        "Binds 127.0.0.1 unless --host says otherwise; SIGTERM stops gracefully (in-flight requests "
            + "finish)."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Bundle directory (or a run directory from 'train', which holds one in bundle/).")
  Path bundle;

  @Option(names = "--host", defaultValue = ServeOptions.DEFAULT_HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one "
      + "(default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding a bearer token: "
      + "every /v1 request must then send 'Authorization: Bearer <token>'.")
  Path tokenFile;

  @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "N",
      description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--max-k", defaultValue = "1000", paramLabel = "K",
      description = "Largest k a request may ask for (default: ${DEFAULT-VALUE}).")
  int maxK;

  @Option(names = "--threads", defaultValue = "32", paramLabel = "N",
      description = "Request-handling threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    String token = null;
    if (tokenFile != null) {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(tokenFile + ": the token must be one line of printable "
            + "ASCII without spaces");
      }
    }
    ServeOptions opts = new ServeOptions(host, port, token, maxBody, maxK, threads, 10_000);
    long t0 = System.nanoTime();
    Path dir = bundle;
    if (!java.nio.file.Files.exists(dir.resolve("manifest.json"))
        && java.nio.file.Files.exists(dir.resolve(Runs.BUNDLE_DIR).resolve("manifest.json"))) {
      dir = dir.resolve(Runs.BUNDLE_DIR); // a run directory from 'train': serve its bundle
    }
    Bundle b = Bundle.load(dir);
    ServingIndex index = new ServingIndex(b, maxK);
    RecommendationServer server = new RecommendationServer(index, opts).stopOnShutdown().start();
    if (token == null && !InetAddress.getByName(host).isLoopbackAddress()) {
      System.err.println("cliprec serve: warning: listening on " + host + " without --token-file: "
          + "anyone who can reach it can query the model");
    }
    System.err.printf(Locale.ROOT, "cliprec serve: %s loaded in %.1fs; listening on http://%s:%d "
        + "(token %s)%n", b, (System.nanoTime() - t0) / 1e9, host, server.port(),
        token == null ? "not required" : "required");
    System.err.flush();
    server.join();
    return 0;
  }
}
