package io.cliprec.models.train;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
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
    ModelJson.write(dir, FORMAT, VERSION, name, users.rows(), items.rows(), users.cols(), config,
        provenance, history);
  }

  /** Reads a directory written by {@link #save}; fails on another format or a newer version. */
  public static FactorModel load(Path dir) throws IOException {
    ModelJson meta = ModelJson.read(dir, FORMAT, VERSION);
    FloatMatrix u = Npy.readMatrix(dir.resolve("user_factors.npy"));
    FloatMatrix i = Npy.readMatrix(dir.resolve("item_factors.npy"));
    meta.checkShapes(u, i);
    return new FactorModel(meta.model(), meta.config(), meta.history(), u, i, meta.provenance());
  }
}
