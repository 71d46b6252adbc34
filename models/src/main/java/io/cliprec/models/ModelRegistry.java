package io.cliprec.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link Recommender}s by name via {@link ServiceLoader}. */
public final class ModelRegistry {
  private ModelRegistry() {}

  private static Map<String, Recommender> all() {
    Map<String, Recommender> m = new TreeMap<>();
    for (Recommender r : ServiceLoader.load(Recommender.class, ModelRegistry.class.getClassLoader())) {
      Recommender prev = m.put(r.name().toLowerCase(Locale.ROOT), r);
      if (prev != null && prev.getClass() != r.getClass()) {
        throw new IllegalStateException("two recommenders named '" + r.name() + "': "
            + prev.getClass().getName() + ", " + r.getClass().getName());
      }
    }
    return m;
  }

  /** Sorted registered names. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(all().keySet()));
  }

  /**
   * The recommender called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known recommenders when {@code name} is unknown
   */
  public static Recommender get(String name) {
    Map<String, Recommender> m = all();
    Recommender r = m.get(name == null ? "" : name.toLowerCase(Locale.ROOT));
    if (r == null) {
      throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + m.keySet());
    }
    return r;
  }
}
