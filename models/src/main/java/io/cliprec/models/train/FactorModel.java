package io.cliprec.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trained dot-product model (BPR-MF, LightGCN, ...): final user factors {@code [numUsers, d]} and item
 * factors {@code [numItems, d]}. Saved as {@code user_factors.npy}, {@code item_factors.npy} and
 * {@code model.json} stamped {@code format = }{@value #FORMAT}, {@code version = }{@value #VERSION}.
 */
public final class FactorModel implements TrainedModel {
  public static final String FORMAT = "cliprec-factor-model";
  public static final int VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String name;
  private final Config config;
  private final TrainingHistory history;
  private final FloatMatrix users;
  private final FloatMatrix items;
  private final Map<String, String> provenance;

  public FactorModel(String name, Config config, TrainingHistory history, FloatMatrix users,
      FloatMatrix items) {
    this(name, config, history, users, items, Map.of());
  }

  /** @param provenance see {@link TrainedModel#provenance()} (copied) */
  public FactorModel(String name, Config config, TrainingHistory history, FloatMatrix users,
      FloatMatrix items, Map<String, String> provenance) {
    if (users.cols() != items.cols()) {
      throw new IllegalArgumentException("user/item factor widths differ: " + users.cols() + " vs "
          + items.cols());
    }
    this.name = Objects.requireNonNull(name);
    this.config = Objects.requireNonNull(config);
    this.history = history;
    this.users = users;
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
    return users;
  }

  @Override
  public FloatMatrix itemFactors() {
    return items;
  }

  @Override
  public int numUsers() {
    return users.rows();
  }

  @Override
  public int numItems() {
    return items.rows();
  }

  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Npy.write(dir.resolve("user_factors.npy"), users);
    Npy.write(dir.resolve("item_factors.npy"), items);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("model", name);
    meta.put("users", users.rows());
    meta.put("items", items.rows());
    meta.put("dim", users.cols());
    meta.put("config", config.asMap());
    meta.put("provenance", provenance);
    meta.put("history", history);
    Npy.writeAtomically(dir.resolve("model.json"), JSON.writeValueAsBytes(meta));
  }

  /** Reads a directory written by {@link #save}; fails on another format or a newer version. */
  @SuppressWarnings("unchecked")
  public static FactorModel load(Path dir) throws IOException {
    Path metaFile = dir.resolve("model.json");
    Map<String, Object> meta = JSON.readValue(metaFile.toFile(), Map.class);
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(metaFile + ": format '" + meta.get("format") + "' is not " + FORMAT);
    }
    int version = ((Number) meta.get("version")).intValue();
    if (version > VERSION) {
      throw new IOException(metaFile + ": version " + version + " is newer than supported " + VERSION);
    }
    FloatMatrix u = Npy.read(dir.resolve("user_factors.npy"));
    FloatMatrix i = Npy.read(dir.resolve("item_factors.npy"));
    if (u.rows() != ((Number) meta.get("users")).intValue()
        || i.rows() != ((Number) meta.get("items")).intValue()) {
      throw new IOException(dir + ": factor shapes do not match model.json");
    }
    TrainingHistory h = meta.get("history") == null ? null
        : JSON.convertValue(meta.get("history"), TrainingHistory.class);
    Config c = Config.of((Map<String, ?>) meta.get("config"));
    Map<String, String> prov = meta.get("provenance") == null ? Map.of()
        : (Map<String, String>) meta.get("provenance");
    return new FactorModel((String) meta.get("model"), c, h, u, i, prov);
  }
}
