package io.cliprec.models.seq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.train.Npy;
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
 * stamped {@code format = }{@value #FORMAT}.
 */
public final class SeqFactorModel implements TrainedModel {
  public static final String FORMAT = "cliprec-seq-factor-model";
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String name;
  private final Config config;
  private final TrainingHistory history;
  private final FloatMatrix usersValid;
  private final FloatMatrix usersTest;
  private final FloatMatrix items;
  private final Map<String, String> provenance;

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
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("model", name);
    meta.put("users", usersTest.rows());
    meta.put("items", items.rows());
    meta.put("dim", items.cols());
    meta.put("config", config.asMap());
    meta.put("provenance", provenance);
    meta.put("history", history);
    Npy.writeAtomically(dir.resolve("model.json"), JSON.writeValueAsBytes(meta));
  }

  /** Reads a directory written by {@link #save}. */
  @SuppressWarnings("unchecked")
  public static SeqFactorModel load(Path dir) throws IOException {
    Path metaFile = dir.resolve("model.json");
    Map<String, Object> meta = JSON.readValue(metaFile.toFile(), Map.class);
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(metaFile + ": format '" + meta.get("format") + "' is not " + FORMAT);
    }
    int version = ((Number) meta.get("version")).intValue();
    if (version > VERSION) {
      throw new IOException(metaFile + ": version " + version + " is newer than supported " + VERSION);
    }
    FloatMatrix ut = Npy.read(dir.resolve("user_factors.npy"));
    FloatMatrix uv = Npy.read(dir.resolve("user_factors_valid.npy"));
    FloatMatrix i = Npy.read(dir.resolve("item_factors.npy"));
    if (ut.rows() != ((Number) meta.get("users")).intValue()
        || i.rows() != ((Number) meta.get("items")).intValue()) {
      throw new IOException(dir + ": factor shapes do not match model.json");
    }
    TrainingHistory h = meta.get("history") == null ? null
        : JSON.convertValue(meta.get("history"), TrainingHistory.class);
    Config c = Config.of((Map<String, ?>) meta.get("config"));
    Map<String, String> prov = meta.get("provenance") == null ? Map.of()
        : (Map<String, String>) meta.get("provenance");
    return new SeqFactorModel((String) meta.get("model"), c, h, uv, ut, i, prov);
  }
}
