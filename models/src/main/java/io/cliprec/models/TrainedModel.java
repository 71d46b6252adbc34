package io.cliprec.models;

import io.cliprec.core.config.Config;
import io.cliprec.core.eval.FactorScorer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained, immutable dot-product model: {@code score(u, i) = userFactors[u] · itemFactors[i]}.
 * Thread-safe for scoring.
 */
public interface TrainedModel extends FactorScorer {
  /** Registry name of the recommender that made it. */
  String name();

  /** The full configuration it was trained with (defaults merged with overrides, plus {@code seed}). */
  Config config();

  /** Training history (epochs, best epoch, per-epoch loss and validation metric, timings). */
  TrainingHistory history();

  /**
   * Where it came from: {@code dataset} (name), {@code data_hash} ({@code Dataset.contentHash()}),
   * {@code seed}, {@code java}; empty when unknown.
   */
  default java.util.Map<String, String> provenance() {
    return java.util.Map.of();
  }

  /**
   * Writes the model into directory {@code dir} (created if missing): {@code user_factors.npy}
   * {@code [numUsers, d]} and {@code item_factors.npy} {@code [numItems, d]} (float32, little endian) and
   * {@code model.json} (format name + version, model name, config, provenance, history), each written
   * atomically;
   * {@code model.json} last. {@link Models#load} reads it back.
   */
  void save(Path dir) throws IOException;

  /**
   * The network that turns an anonymous session into a query vector against {@link #itemFactors()}, for
   * sequential models that carry one; null for the others (default).
   */
  default SessionEncoder sessionEncoder() {
    return null;
  }
}
