/**
 * The HTTP side of serving: {@link io.cliprec.serve.http.RecommendationServer} (Jetty 12, loopback by
 * default, optional bearer token, body size limit, graceful stop), the JSON routes and Prometheus
 * {@link io.cliprec.serve.http.Metrics}.
 */
package io.cliprec.serve.http;
