package io.cliprec.models.seq;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.models.SessionEncoder;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.train.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trained sequential model as a dot-product scorer whose user side depends on the target split: the
 * encoder's last-position state over the history before it ({@link UserSequences#historyBefore}). Saved as
 * {@code item_factors.npy} {@code [numItems, d]}, {@code user_factors.npy} {@code [numUsers, d]} (TEST:
 * history = train + valid), {@code user_factors_valid.npy} (VALID: history = train) and {@code model.json}
 * stamped {@code format = }{@value #FORMAT}; with a {@link SessionEncoder} (the trained network's inference
 * form), also {@code session_encoder/} (an additive directory: older readers ignore it, models saved
 * without it load with {@link #sessionEncoder()} null).
 */
public final class SeqFactorModel implements TrainedModel {
  public static final String FORMAT = "cliprec-seq-factor-model";
  public static final int VERSION = 1;

  private final String name;
  private final Config config;
  private final TrainingHistory history;
  private final FloatMatrix usersValid;
  private final FloatMatrix usersTest;
  private final FloatMatrix items;
  private final Map<String, String> provenance;
  private final SessionEncoder sessionEncoder;
  /** Sub-directory holding the session encoder. */
  public static final String SESSION_ENCODER_DIR = "session_encoder";

  /**
   * @param usersValid {@code [numUsers, d]} representations for predicting VALID (also used for TRAIN)
   * @param usersTest {@code [numUsers, d]} representations for predicting TEST
   * @param items {@code [numItems, d]} item embeddings
   */
  public SeqFactorModel(String name, Config config, TrainingHistory history, FloatMatrix usersValid,
      FloatMatrix usersTest, FloatMatrix items) {
    this(name, config, history, usersValid, usersTest, items, Map.of());
  }

  /** @param provenance see {@link TrainedModel#provenance()} (copied) */
  public SeqFactorModel(String name, Config config, TrainingHistory history, FloatMatrix usersValid,
      FloatMatrix usersTest, FloatMatrix items, Map<String, String> provenance) {
    this(name, config, history, usersValid, usersTest, items, provenance, null);
  }

  /**
   * @param sessionEncoder the network that encodes a session into a query vector against {@code items}
   *     (same width and item count), or null
   */
  public SeqFactorModel(String name, Config config, TrainingHistory history, FloatMatrix usersValid,
      FloatMatrix usersTest, FloatMatrix items, Map<String, String> provenance, SessionEncoder sessionEncoder) {
    if (sessionEncoder != null
        && (sessionEncoder.dim() != items.cols() || sessionEncoder.numItems() != items.rows())) {
      throw new IllegalArgumentException("session encoder is [" + sessionEncoder.numItems() + " items, d="
          + sessionEncoder.dim() + "] but the item factors are [" + items.rows() + ", " + items.cols() + "]");
    }
    if (usersValid.cols() != items.cols() || usersTest.cols() != items.cols()
        || usersValid.rows() != usersTest.rows()) {
      throw new IllegalArgumentException("factor shapes differ");
    }
    this.name = Objects.requireNonNull(name);
    this.config = Objects.requireNonNull(config);
    this.history = history;
    this.usersValid = usersValid;
    this.usersTest = usersTest;
    this.items = items;
    this.provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    this.sessionEncoder = sessionEncoder;
  }

  @Override
  public SessionEncoder sessionEncoder() {
    return sessionEncoder;
  }

  @Override
  public Map<String, String> provenance() {
    return provenance;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public TrainingHistory history() {
    return history;
  }

  @Override
  public FloatMatrix userFactors(Split target) {
    return target == Split.TEST ? usersTest : usersValid;
  }

  @Override
  public FloatMatrix itemFactors() {
    return items;
  }

  @Override
  public int numUsers() {
    return usersTest.rows();
  }

  @Override
  public int numItems() {
    return items.rows();
  }

  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Npy.write(dir.resolve("user_factors.npy"), usersTest);
    Npy.write(dir.resolve("user_factors_valid.npy"), usersValid);
    Npy.write(dir.resolve("item_factors.npy"), items);
    if (sessionEncoder != null) {
      sessionEncoder.save(dir.resolve(SESSION_ENCODER_DIR));
    }
    ModelJson.write(dir, FORMAT, VERSION, name, usersTest.rows(), items.rows(), items.cols(), config,
        provenance, history);
  }

  /** Reads a directory written by {@link #save}. */
  public static SeqFactorModel load(Path dir) throws IOException {
    ModelJson meta = ModelJson.read(dir, FORMAT, VERSION);
    FloatMatrix ut = Npy.readMatrix(dir.resolve("user_factors.npy"));
    FloatMatrix uv = Npy.readMatrix(dir.resolve("user_factors_valid.npy"));
    FloatMatrix i = Npy.readMatrix(dir.resolve("item_factors.npy"));
    meta.checkShapes(ut, i);
    Path se = dir.resolve(SESSION_ENCODER_DIR);
    SessionEncoder enc = Files.isRegularFile(se.resolve(SessionEncoder.FILE)) ? SessionEncoder.load(se) : null;
    try {
      return new SeqFactorModel(meta.model(), meta.config(), meta.history(), uv, ut, i, meta.provenance(), enc);
    } catch (IllegalArgumentException e) {
      throw new IOException(dir + ": " + e.getMessage(), e);
    }
  }
}
