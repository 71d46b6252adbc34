package io.cliprec.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Metric name ("Recall@20", "NDCG@10", ...) &rarr; value averaged over evaluated users; plus timing. */
public final class EvalResult {
  private final Map<String, Double> metrics;
  private final int users;
  private final double seconds;

  public EvalResult(Map<String, Double> metrics, int users, double seconds) {
    this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    this.users = users;
    this.seconds = seconds;
  }

  public Map<String, Double> metrics() {
    return metrics;
  }

  /** Value of {@code name}, e.g. "Recall@20"; fails when absent. */
  public double get(String name) {
    Double v = metrics.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
    }
    return v;
  }

  /** Number of users with at least one target item (the averaging denominator). */
  public int users() {
    return users;
  }

  public double seconds() {
    return seconds;
  }

  @Override
  public String toString() {
    return metrics + " over " + users + " users in " + String.format("%.3fs", seconds);
  }
}
