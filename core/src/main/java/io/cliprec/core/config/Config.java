package io.cliprec.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flat, immutable key &rarr; value configuration (values: String, Number, Boolean or List). Loaded from
 * YAML (nested maps are flattened with dots), overridden with {@code key=value} strings. Typed getters
 * fail with a message naming the key when a value has the wrong type.
 */
public final class Config {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Map<String, Object> values;

  private Config(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Config empty() {
    return new Config(new LinkedHashMap<>());
  }

  public static Config of(Map<String, ?> map) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flatten("", map, flat);
    return new Config(flat);
  }

  /** Parses a YAML file; errors name the file. */
  public static Config load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a YAML classpath resource, e.g. a model's defaults. */
  public static Config resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no config resource " + name + " next to " + anchor.getName());
      }
      return parse(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Config parse(InputStream in, String where) throws IOException {
    Object root;
    try {
      root = YAML.readValue(in, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": invalid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return empty();
    }
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException(where + ": top level must be a mapping");
    }
    return of((Map<String, ?>) root);
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, ?> map, Map<String, Object> out) {
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map) {
        flatten(key, (Map<String, ?>) v, out);
      } else {
        out.put(key, v);
      }
    }
  }

  /** This config overridden by {@code other} (other wins). */
  public Config merge(Config other) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    m.putAll(other.values);
    return new Config(m);
  }

  public Config with(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    m.put(key, value);
    return new Config(m);
  }

  /**
   * Applies {@code key=value} overrides; the value is parsed as YAML (numbers, booleans, lists like
   * {@code [1,2]}).
   */
  public Config withOverrides(List<String> assignments) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects key=value, got '" + a + "'");
      }
      String key = a.substring(0, eq).trim();
      String raw = a.substring(eq + 1).trim();
      Object v;
      try {
        v = raw.isEmpty() ? "" : YAML.readValue(raw, Object.class);
      } catch (IOException e) {
        v = raw;
      }
      m.put(key, v);
    }
    return new Config(m);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public Object get(String key) {
    return values.get(key);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private Object require(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("missing config key '" + key + "'");
    }
    return values.get(key);
  }

  public int getInt(String key) {
    Object v = require(key);
    if (v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())) {
      return ((Number) v).intValue();
    }
    throw new IllegalArgumentException("config key '" + key + "' must be an integer, got '" + v + "'");
  }

  public int getInt(String key, int def) {
    return has(key) ? getInt(key) : def;
  }

  public long getLong(String key, long def) {
    if (!has(key)) {
      return def;
    }
    Object v = values.get(key);
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException("config key '" + key + "' must be an integer, got '" + v + "'");
  }

  public double getDouble(String key) {
    Object v = require(key);
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      try {
        return Double.parseDouble((String) v);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException("config key '" + key + "' must be a number, got '" + v + "'");
  }

  public double getDouble(String key, double def) {
    return has(key) ? getDouble(key) : def;
  }

  public boolean getBoolean(String key, boolean def) {
    if (!has(key)) {
      return def;
    }
    Object v = values.get(key);
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v);
    }
    throw new IllegalArgumentException("config key '" + key + "' must be true or false, got '" + v + "'");
  }

  public String getString(String key, String def) {
    return has(key) && values.get(key) != null ? String.valueOf(values.get(key)) : def;
  }

  /** A list value; a scalar becomes a one-element list. */
  public List<Object> getList(String key) {
    Object v = require(key);
    if (v instanceof List) {
      return new ArrayList<>((List<?>) v);
    }
    List<Object> l = new ArrayList<>();
    l.add(v);
    return l;
  }

  public int[] getIntArray(String key, int[] def) {
    if (!has(key)) {
      return def;
    }
    List<Object> l = getList(key);
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = l.get(i);
      if (!(o instanceof Number)) {
        throw new IllegalArgumentException("config key '" + key + "' must be a list of integers");
      }
      out[i] = ((Number) o).intValue();
    }
    return out;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
