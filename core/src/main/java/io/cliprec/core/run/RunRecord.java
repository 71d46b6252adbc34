package io.cliprec.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code run.json} of a run: {@code model, dataset, config, seed, versions, metrics {valid, test},
 * timing {epochs, train_seconds_per_epoch, eval_seconds, total_seconds}} plus free extras. Metric keys are
 * exactly {@code Name@K}. Written atomically (temp file + move).
 */
public final class RunRecord {
  public static final String FILE = "run.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Map<String, Object> root = new LinkedHashMap<>();

  public RunRecord(String model, long seed) {
    root.put("model", model);
    root.put("dataset", new LinkedHashMap<String, Object>());
    root.put("config", new LinkedHashMap<String, Object>());
    root.put("seed", seed);
    root.put("versions", versions());
    root.put("metrics", new LinkedHashMap<String, Object>());
    root.put("timing", new LinkedHashMap<String, Object>());
  }

  private RunRecord(Map<String, Object> parsed) {
    root.putAll(parsed);
  }

  /** Reads {@code dir/run.json}; fails with a message naming the file. */
  @SuppressWarnings("unchecked")
  public static RunRecord read(Path dir) {
    Path f = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
    try {
      return new RunRecord(JSON.readValue(f.toFile(), LinkedHashMap.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** cliprec, Java and OS versions. */
  public static Map<String, Object> versions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("cliprec", cliprecVersion());
    v.put("java", System.getProperty("java.version"));
    v.put("java_vendor", System.getProperty("java.vendor"));
    v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    v.put("cores", Runtime.getRuntime().availableProcessors());
    return v;
  }

  /** The project version stamped at build time. */
  public static String cliprecVersion() {
    try (InputStream in = RunRecord.class.getResourceAsStream("/io/cliprec/core/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public RunRecord dataset(Dataset ds) {
    Map<String, Object> d = section("dataset");
    d.put("name", ds.name());
    d.putAll(ds.meta());
    d.put("hash", ds.contentHash());
    d.put("users", ds.numUsers());
    d.put("items", ds.numItems());
    d.put("train", ds.train().size());
    d.put("valid", ds.valid().size());
    d.put("test", ds.test().size());
    d.put("protocol", ds.protocol().name());
    return this;
  }

  public RunRecord config(Map<String, Object> config) {
    section("config").putAll(config);
    return this;
  }

  public RunRecord version(String name, String version) {
    section("versions").put(name, version);
    return this;
  }

  /** Sets metrics for a split name ("valid", "test", ...). */
  public RunRecord metrics(String split, Map<String, Double> metrics) {
    section("metrics").put(split, new LinkedHashMap<>(metrics));
    return this;
  }

  public RunRecord timing(String key, Object value) {
    section("timing").put(key, value);
    return this;
  }

  /** Any other top-level entry (e.g. "history", "features", "best_epoch"). */
  public RunRecord put(String key, Object value) {
    root.put(key, value);
    return this;
  }

  public Object get(String key) {
    return root.get(key);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> section(String key) {
    Object o = root.get(key);
    if (!(o instanceof Map)) {
      Map<String, Object> m = new LinkedHashMap<>();
      root.put(key, m);
      return m;
    }
    return (Map<String, Object>) o;
  }

  /** Metric of a split, e.g. {@code metric("test", "Recall@20")}; NaN when absent. */
  public double metric(String split, String name) {
    Object s = section("metrics").get(split);
    if (s instanceof Map) {
      Object v = ((Map<?, ?>) s).get(name);
      if (v instanceof Number) {
        return ((Number) v).doubleValue();
      }
    }
    return Double.NaN;
  }

  public Map<String, Object> asMap() {
    return root;
  }

  /** Writes {@code dir/run.json} atomically. */
  public Path write(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    AtomicFiles.write(file, JSON.writeValueAsBytes(root));
    return file;
  }
}
