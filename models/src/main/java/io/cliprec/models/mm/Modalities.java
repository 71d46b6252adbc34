package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import java.util.ArrayList;
import java.util.List;

/** Picks the feature modalities a multimodal model trains on. */
public final class Modalities {
  private Modalities() {}

  /**
   * The modalities named by config key {@code modalities} (a list or a comma-separated string; empty or
   * absent = all of {@code features}, in their order), row-checked against {@code data}.
   *
   * @param features the {@link io.cliprec.models.TrainContext#itemFeatures()} object (an
   *     {@link ItemFeatures}) or null
   * @throws IllegalArgumentException when there are no features, the object is not an ItemFeatures, or a
   *     named modality is missing
   */
  public static ItemFeatures select(String model, Object features, Config cfg, Dataset data) {
    if (features == null) {
      throw new IllegalArgumentException(model + " needs item features (e.g. --features DIR with"
          + " image_feat.npy / text_feat.npy), but none were given");
    }
    if (!(features instanceof ItemFeatures)) {
      throw new IllegalArgumentException(model + ": item features must be an ItemFeatures, got "
          + features.getClass().getName());
    }
    ItemFeatures f = (ItemFeatures) features;
    List<String> names = names(cfg);
    if (names.isEmpty()) {
      names = new ArrayList<>(f.names());
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(model + " needs at least one feature modality; the features"
          + " hold none");
    }
    for (String n : names) {
      if (!f.has(n)) {
        throw new IllegalArgumentException(model + ": modality '" + n + "' is not in the features "
            + f.names());
      }
    }
    return f.select(names).validateRows(data);
  }

  /** The configured names ({@code modalities}), empty when absent or empty. */
  static List<String> names(Config cfg) {
    return names(cfg, "modalities");
  }

  /** Names under {@code key}: a YAML list or a comma-separated string; empty when absent or empty. */
  public static List<String> names(Config cfg, String key) {
    List<String> out = new ArrayList<>();
    if (!cfg.has(key) || cfg.get(key) == null) {
      return out;
    }
    Object v = cfg.get(key);
    List<Object> raw = v instanceof List ? cfg.getList(key) : List.of(String.valueOf(v));
    for (Object o : raw) {
      for (String s : String.valueOf(o).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }
}
