package io.cliprec.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.config.Config;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.TrainingHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code model.json} every saved factor model writes last: format name + version stamp, model name,
 * shapes, config, provenance and training history. Shared by {@link FactorModel} and the sequential
 * {@code SeqFactorModel} so both are stamped and checked the same way.
 */
public final class ModelJson {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String FILE = "model.json";

  private final Map<String, Object> meta;
  private final Path file;

  private ModelJson(Path file, Map<String, Object> meta) {
    this.file = file;
    this.meta = meta;
  }

  /** Writes {@code dir/model.json} atomically (call after the weight files). */
  public static void write(Path dir, String format, int version, String model, int users, int items,
      int dim, Config config, Map<String, String> provenance, TrainingHistory history)
      throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", format);
    meta.put("version", version);
    meta.put("model", model);
    meta.put("users", users);
    meta.put("items", items);
    meta.put("dim", dim);
    meta.put("config", config.asMap());
    meta.put("provenance", provenance);
    meta.put("history", history);
    AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(meta));
  }

  /**
   * Reads {@code dir/model.json}; fails when its format is not {@code format} or its version is newer than
   * {@code maxVersion}.
   */
  @SuppressWarnings("unchecked")
  public static ModelJson read(Path dir, String format, int maxVersion) throws IOException {
    Path f = dir.resolve(FILE);
    Map<String, Object> meta = JSON.readValue(f.toFile(), Map.class);
    if (!format.equals(meta.get("format"))) {
      throw new IOException(f + ": format '" + meta.get("format") + "' is not " + format);
    }
    int version = ((Number) meta.get("version")).intValue();
    if (version > maxVersion) {
      throw new IOException(f + ": version " + version + " is newer than supported " + maxVersion);
    }
    return new ModelJson(f, meta);
  }

  /** Fails unless the user and item factor row counts match the stamped shapes. */
  public void checkShapes(FloatMatrix users, FloatMatrix items) throws IOException {
    if (users.rows() != ((Number) meta.get("users")).intValue()
        || items.rows() != ((Number) meta.get("items")).intValue()) {
      throw new IOException(file.getParent() + ": factor shapes do not match model.json");
    }
  }

  /** The stamped number of users. */
  public int users() {
    return ((Number) meta.get("users")).intValue();
  }

  public String model() {
    return (String) meta.get("model");
  }

  @SuppressWarnings("unchecked")
  public Config config() {
    return Config.of((Map<String, ?>) meta.get("config"));
  }

  public TrainingHistory history() {
    return meta.get("history") == null ? null
        : JSON.convertValue(meta.get("history"), TrainingHistory.class);
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> provenance() {
    return meta.get("provenance") == null ? Map.of() : (Map<String, String>) meta.get("provenance");
  }
}
