package io.cliprec.models;

import io.cliprec.core.config.Config;

/**
 * A trainable recommender, looked up by {@link #name()} through {@link ModelRegistry} (ServiceLoader on
 * {@code META-INF/services/io.cliprec.models.Recommender}). Implementations are stateless and thread-safe:
 * every {@link #fit} call is independent.
 */
public interface Recommender {
  /** Registry name, lower case (e.g. {@code "bpr"}, {@code "lightgcn"}). */
  String name();

  /**
   * Every hyper-parameter with its default, read from the model's commented YAML resource
   * ({@code io/cliprec/models/config/<name>.yaml}); {@link TrainContext#config()} is these defaults merged
   * with the user's overrides.
   */
  Config defaults();

  /** Trains on {@code ctx.dataset()} and returns the best-on-validation model. */
  TrainedModel fit(TrainContext ctx);
}
