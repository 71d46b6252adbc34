package io.cliprec.models;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link Recommender#fit} needs. Immutable; build with {@link #of} and the {@code with...}
 * methods.
 *
 * <ul>
 *   <li>{@code dataset}: train rows are learned from, valid rows drive early stopping.
 *   <li>{@code itemFeatures}: optional multimodal features (null for pure-CF models; typed Object until
 *       {@code io.cliprec.core.features.ItemFeatures} exists on this branch).
 *   <li>{@code config}: the model's {@link Recommender#defaults()} merged with user overrides. Keys a model
 *       does not know are ignored; missing keys fall back to the defaults.
 *   <li>{@code seed}: drives init, shuffling and negative sampling (default 999, MMRec's).
 *   <li>{@code checkpointDir}: when non-null a checkpoint is written there after every epoch (atomic).
 *   <li>{@code resume}: continue from the checkpoint in {@code checkpointDir} if one exists.
 *   <li>{@code listener}: per-epoch progress.
 *   <li>{@code validator}: early-stopping metric; null means the default Evaluator-based one.
 * </ul>
 */
public final class TrainContext {
  private final Dataset dataset;
  private final Object itemFeatures;
  private final Config config;
  private final long seed;
  private final Path checkpointDir;
  private final boolean resume;
  private final ProgressListener listener;
  private final Validator validator;

  private TrainContext(Dataset dataset, Object itemFeatures, Config config, long seed, Path checkpointDir,
      boolean resume, ProgressListener listener, Validator validator) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.itemFeatures = itemFeatures;
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
    this.checkpointDir = checkpointDir;
    this.resume = resume;
    this.listener = listener == null ? ProgressListener.NONE : listener;
    this.validator = validator;
  }

  /** A context with seed 999, no features, no checkpoints, no listener. */
  public static TrainContext of(Dataset dataset, Config config) {
    return new TrainContext(dataset, null, config, 999L, null, false, null, null);
  }

  public TrainContext withItemFeatures(Object features) {
    return new TrainContext(dataset, features, config, seed, checkpointDir, resume, listener, validator);
  }

  public TrainContext withConfig(Config c) {
    return new TrainContext(dataset, itemFeatures, c, seed, checkpointDir, resume, listener, validator);
  }

  public TrainContext withSeed(long s) {
    return new TrainContext(dataset, itemFeatures, config, s, checkpointDir, resume, listener, validator);
  }

  /** Checkpoint directory (null: no checkpoints) and whether to resume from it. */
  public TrainContext withCheckpoints(Path dir, boolean resumeFromIt) {
    return new TrainContext(dataset, itemFeatures, config, seed, dir, resumeFromIt, listener, validator);
  }

  public TrainContext withListener(ProgressListener l) {
    return new TrainContext(dataset, itemFeatures, config, seed, checkpointDir, resume, l, validator);
  }

  /** Replaces the validation metric (null: the default full-ranking Evaluator on VALID). */
  public TrainContext withValidator(Validator v) {
    return new TrainContext(dataset, itemFeatures, config, seed, checkpointDir, resume, listener, v);
  }

  public Dataset dataset() {
    return dataset;
  }

  /** Item features or null. */
  public Object itemFeatures() {
    return itemFeatures;
  }

  public Config config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  /** Checkpoint directory or null. */
  public Path checkpointDir() {
    return checkpointDir;
  }

  public boolean resume() {
    return resume;
  }

  public ProgressListener listener() {
    return listener;
  }

  /** Custom validator or null (use the default). */
  public Validator validator() {
    return validator;
  }
}
