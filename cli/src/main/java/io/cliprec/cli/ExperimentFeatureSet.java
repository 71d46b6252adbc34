package io.cliprec.cli;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.ItemFeatures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One named feature set of an experiment file. Either a path (a features directory, {@code .npy} or
 * {@code .npz}, modalities named by the files), or a map:
 * <pre>
 *   lfm:   {files: {text: all-MiniLM-L6-v2.npy, audio: whisper.npy}}   # modality -&gt; file
 *   mlp:   {path: feats, set: {text_fusion: mlp}}                       # + overrides for its runs
 * </pre>
 * {@code files} names which file is which modality (any file names; a directory or .npz entry of the same
 * name also works); {@code set} holds model configuration applied to every run on this feature set (after
 * the experiment's and the model's {@code set}, before the grid point), e.g. the trainable text fusion.
 * Relative paths resolve against the experiment file's directory.
 *
 * @param path features directory/file, or null when {@code files} is used
 * @param files modality name &rarr; file, or empty when {@code path} is used
 * @param set configuration overrides of this feature set (possibly empty)
 */
record ExperimentFeatureSet(Path path, Map<String, Path> files, Config set) {
  private static final Set<String> KEYS = Set.of("path", "files", "set");

  /** Parses the YAML value of feature set {@code name}. */
  @SuppressWarnings("unchecked")
  static ExperimentFeatureSet parse(String name, Object value, Path base) {
    if (value instanceof String) {
      return new ExperimentFeatureSet(base.resolve(value.toString()).normalize(), Map.of(), Config.empty());
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("feature set '" + name + "' must be a path or a map with keys "
          + "path | files, set; got " + value);
    }
    Map<String, Object> m = (Map<String, Object>) value;
    for (String k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("feature set '" + name + "': unknown key '" + k + "' (path, files,"
            + " set)");
      }
    }
    if ((m.get("path") == null) == (m.get("files") == null)) {
      throw new IllegalArgumentException("feature set '" + name + "' needs exactly one of 'path' and"
          + " 'files'");
    }
    Path path = m.get("path") == null ? null : base.resolve(m.get("path").toString()).normalize();
    Map<String, Path> files = new LinkedHashMap<>();
    if (m.get("files") != null) {
      if (!(m.get("files") instanceof Map) || ((Map<?, ?>) m.get("files")).isEmpty()) {
        throw new IllegalArgumentException("feature set '" + name + "': 'files' must map modality names to"
            + " files, e.g. {text: t.npy, audio: a.npy}");
      }
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("files")).entrySet()) {
        files.put(e.getKey(), base.resolve(String.valueOf(e.getValue())).normalize());
      }
    }
    Object set = m.get("set");
    if (set != null && !(set instanceof Map)) {
      throw new IllegalArgumentException("feature set '" + name + "': 'set' must be a map of config keys");
    }
    return new ExperimentFeatureSet(path, files,
        set == null ? Config.empty() : Config.of((Map<String, Object>) set));
  }

  /** Reads the features. */
  ItemFeatures load() {
    return path != null ? ItemFeatures.read(path) : ItemFeatures.readFiles(files);
  }
}
