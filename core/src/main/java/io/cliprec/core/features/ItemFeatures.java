package io.cliprec.core.features;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plug-in boundary: named item feature matrices ("modalities": {@code image}, {@code text},
 * {@code text.title}, {@code id}, ...), each {@code [numItems, d_m]} float32 with row i = dense item
 * index i, in insertion order, plus provenance (encoder / pretrainer, config, data hash, source files).
 * Immutable.
 *
 * <h2>On disk</h2>
 * A directory holds one {@code <name>_feat.npy} per modality (so MMRec reads {@code image_feat.npy} and
 * {@code text_feat.npy} directly) and a {@code features.json} manifest:
 * <pre>{"format": "cliprec-features", "version": 1,
 *  "modalities": {"image": "image_feat.npy", "text": "text_feat.npy"},
 *  "provenance": {"encoder": "...", ...}}</pre>
 * {@link #read(Path)} accepts such a directory, a directory without manifest (every {@code *.npy}, by
 * file name order, becomes a modality named by its stem minus a trailing {@code _feat}: MMRec's
 * {@code image_feat.npy} &rarr; {@code image}), a single {@code .npy} file, or an {@code .npz}
 * archive (entry names, minus a trailing {@code _feat}). When the manifest lists modalities, exactly
 * those files are read, in its order.
 */
public final class ItemFeatures {
  /** Manifest file name inside a features directory. */
  public static final String MANIFEST = "features.json";
  /** Suffix of feature file stems ({@code image_feat.npy}). */
  public static final String SUFFIX = "_feat";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, FloatMatrix> modalities;
  private final Map<String, Path> sources;
  private final Map<String, Object> provenance;

  /**
   * @param modalities name &rarr; {@code [numItems, d]}; all with the same row count; copied (matrices
   *     are not)
   * @param provenance free-form JSON-compatible values; copied
   */
  public ItemFeatures(Map<String, FloatMatrix> modalities, Map<String, Object> provenance) {
    this(modalities, Map.of(), provenance);
  }

  private ItemFeatures(Map<String, FloatMatrix> modalities, Map<String, Path> sources,
      Map<String, Object> provenance) {
    int rows = -1;
    String first = null;
    for (Map.Entry<String, FloatMatrix> e : modalities.entrySet()) {
      checkName(e.getKey());
      int r = e.getValue().rows();
      if (rows < 0) {
        rows = r;
        first = e.getKey();
      } else if (r != rows) {
        Path src = sources.get(e.getKey());
        String msg = "modality '" + e.getKey() + "' has " + r + " rows but '" + first + "' has " + rows;
        if (src != null) {
          throw new DataFormatException(src, 0, e.getKey(), msg);
        }
        throw new IllegalArgumentException(msg);
      }
    }
    this.modalities = Collections.unmodifiableMap(new LinkedHashMap<>(modalities));
    this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad modality name '" + name + "': use letters, digits, '.', '_' or '-'");
    }
  }

  /** Modality names in order. */
  public Set<String> names() {
    return modalities.keySet();
  }

  /** All modalities in order (unmodifiable). */
  public Map<String, FloatMatrix> modalities() {
    return modalities;
  }

  public boolean has(String name) {
    return modalities.containsKey(name);
  }

  /** The matrix {@code [numItems, d]} of a modality; fails listing the known names. */
  public FloatMatrix get(String name) {
    FloatMatrix m = modalities.get(name);
    if (m == null) {
      throw new IllegalArgumentException("no modality '" + name + "' in " + modalities.keySet());
    }
    return m;
  }

  /** Provenance (unmodifiable). */
  public Map<String, Object> provenance() {
    return provenance;
  }

  /** The file a modality was read from, or null. */
  public Path source(String name) {
    return sources.get(name);
  }

  /** Number of items (rows), 0 when there is no modality. */
  public int numItems() {
    return modalities.isEmpty() ? 0 : modalities.values().iterator().next().rows();
  }

  /** Only the given modalities, in the given order. */
  public ItemFeatures select(List<String> names) {
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    Map<String, Path> s = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, get(n));
      if (sources.containsKey(n)) {
        s.put(n, sources.get(n));
      }
    }
    return new ItemFeatures(m, s, provenance);
  }

  /** A copy with one modality added or replaced (appended at the end when new). */
  public ItemFeatures with(String name, FloatMatrix m) {
    Map<String, FloatMatrix> mm = new LinkedHashMap<>(modalities);
    mm.put(name, m);
    Map<String, Path> s = new LinkedHashMap<>(sources);
    s.remove(name);
    return new ItemFeatures(mm, s, provenance);
  }

  /** A copy with provenance entries added or replaced. */
  public ItemFeatures withProvenance(Map<String, Object> more) {
    Map<String, Object> p = new LinkedHashMap<>(provenance);
    p.putAll(more);
    return new ItemFeatures(modalities, sources, p);
  }

  /** Column-wise concatenation {@code [numItems, &Sigma; d]} of the given modalities, in order. */
  public FloatMatrix concat(List<String> names) {
    int n = numItems();
    int total = 0;
    for (String name : names) {
      total += get(name).cols();
    }
    float[] out = new float[Math.multiplyExact(n, total)];
    int off = 0;
    for (String name : names) {
      FloatMatrix m = get(name);
      int d = m.cols();
      for (int r = 0; r < n; r++) {
        System.arraycopy(m.data(), r * d, out, r * total + off, d);
      }
      off += d;
    }
    return new FloatMatrix(n, total, out);
  }

  /** Checks every modality has one row per item of {@code data}. */
  public ItemFeatures validateRows(Dataset data) {
    return validateRows(data.numItems(), data.name());
  }

  /**
   * Checks every modality has {@code numItems} rows.
   *
   * @param what the dataset's name, for the message
   * @throws DataFormatException "features file X has N rows but dataset Y has M items"
   */
  public ItemFeatures validateRows(int numItems, String what) {
    for (Map.Entry<String, FloatMatrix> e : modalities.entrySet()) {
      int r = e.getValue().rows();
      if (r != numItems) {
        Path src = sources.get(e.getKey());
        String file = src == null ? "for modality '" + e.getKey() + "'" : src.toString();
        throw new DataFormatException(src, 0, e.getKey(), "features file " + file + " has " + r
            + " rows but dataset " + what + " has " + numItems + " items");
      }
    }
    return this;
  }

  /** Modality name of a feature file: stem minus {@code .npy} and a trailing {@code _feat}. */
  static String nameOf(String fileName) {
    String stem = fileName.endsWith(".npy") ? fileName.substring(0, fileName.length() - 4) : fileName;
    if (stem.endsWith(SUFFIX) && stem.length() > SUFFIX.length()) {
      stem = stem.substring(0, stem.length() - SUFFIX.length());
    }
    return stem;
  }

  /** Reads a features directory, a single {@code .npy} or an {@code .npz} (see class doc). */
  public static ItemFeatures read(Path path) {
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    Map<String, Path> src = new LinkedHashMap<>();
    Map<String, Object> prov = new LinkedHashMap<>();
    String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
    if (Files.isDirectory(path)) {
      Path manifest = path.resolve(MANIFEST);
      Map<String, String> files = new LinkedHashMap<>();
      if (Files.isRegularFile(manifest)) {
        JsonNode root;
        try {
          root = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
          throw new DataFormatException(manifest, 0, null, "invalid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
          throw new DataFormatException(manifest, 0, null, "expected a JSON object");
        }
        JsonNode mods = root.get("modalities");
        if (mods != null) {
          if (!mods.isObject()) {
            throw new DataFormatException(manifest, 0, "modalities", "expected an object name -> file");
          }
          for (Iterator<Map.Entry<String, JsonNode>> it = mods.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
              throw new DataFormatException(manifest, 0, "modalities",
                  "file of '" + e.getKey() + "' must be a string");
            }
            files.put(e.getKey(), e.getValue().asText());
          }
        }
        JsonNode p = root.get("provenance");
        if (p != null && p.isObject()) {
          prov.putAll(JSON.convertValue(p, new TypeReference<Map<String, Object>>() {}));
        }
      }
      if (files.isEmpty()) {
        List<Path> npys = new ArrayList<>();
        try (Stream<Path> s = Files.list(path)) {
          s.filter(f -> f.getFileName().toString().endsWith(".npy") && Files.isRegularFile(f))
              .sorted().forEach(npys::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + path, e);
        }
        for (Path f : npys) {
          String name = nameOf(f.getFileName().toString());
          if (files.containsKey(name)) {
            throw new DataFormatException(f, 0, null,
                "two files give modality '" + name + "': " + files.get(name) + " and " + f.getFileName());
          }
          files.put(name, f.getFileName().toString());
        }
      }
      if (files.isEmpty()) {
        throw new DataFormatException(path, 0, null, "no .npy feature files in directory");
      }
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path f = path.resolve(e.getValue());
        if (!Files.isRegularFile(f)) {
          throw new DataFormatException(manifest, 0, "modalities",
              "file " + e.getValue() + " of modality '" + e.getKey() + "' does not exist");
        }
        m.put(e.getKey(), Npy.readMatrix(f));
        src.put(e.getKey(), f);
      }
    } else if (fileName.endsWith(".npz")) {
      for (Map.Entry<String, NpyArray> e : Npz.read(path).entrySet()) {
        NpyArray a = e.getValue();
        if (a.ndim() != 1 && a.ndim() != 2) {
          throw new DataFormatException(path, 0, e.getKey(),
              "expected a 1-D or 2-D array, found " + java.util.Arrays.toString(a.shape()));
        }
        String name = nameOf(e.getKey());
        m.put(name, a.toMatrix());
        src.put(name, path);
      }
    } else if (fileName.endsWith(".npy")) {
      String name = nameOf(fileName);
      m.put(name, Npy.readMatrix(path));
      src.put(name, path);
    } else {
      throw new DataFormatException(path, 0, null,
          "not a features directory, .npy or .npz file" + (Files.exists(path) ? "" : " (does not exist)"));
    }
    prov.putIfAbsent("source", path.toString());
    return new ItemFeatures(m, src, prov);
  }

  /**
   * Modalities named explicitly, one file each, in the map's order: {@code {text: a/all-MiniLM.npy,
   * audio: b/whisper.npy}}. A {@code .npy} file is the matrix itself; a features directory or {@code .npz}
   * must hold a modality of the same name (or exactly one modality). Provenance records the files.
   *
   * @throws IllegalArgumentException when the map is empty
   * @throws DataFormatException when a file is unreadable or holds no matching modality, or row counts
   *     differ
   */
  public static ItemFeatures readFiles(Map<String, Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no modality files given");
    }
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    Map<String, Path> src = new LinkedHashMap<>();
    Map<String, Object> prov = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      checkName(e.getKey());
      Path f = e.getValue();
      FloatMatrix x;
      Path from = f;
      if (f.getFileName() != null && f.getFileName().toString().endsWith(".npy")) {
        if (!Files.isRegularFile(f)) {
          throw new DataFormatException(f, 0, e.getKey(), "feature file of modality '" + e.getKey()
              + "' does not exist");
        }
        x = Npy.readMatrix(f);
      } else {
        ItemFeatures inner = read(f);
        String pick = inner.has(e.getKey()) ? e.getKey()
            : inner.names().size() == 1 ? inner.names().iterator().next() : null;
        if (pick == null) {
          throw new DataFormatException(f, 0, e.getKey(), "holds modalities " + inner.names()
              + ", none named '" + e.getKey() + "'");
        }
        x = inner.get(pick);
        from = inner.source(pick) != null ? inner.source(pick) : f;
      }
      m.put(e.getKey(), x);
      src.put(e.getKey(), from);
      paths.put(e.getKey(), from.toString());
    }
    prov.put("source", paths);
    return new ItemFeatures(m, src, prov);
  }

  /**
   * Writes {@code <name>_feat.npy} per modality (float32 C order) and {@code features.json}, each
   * atomically (temp file + move) into {@code dir} (created when missing). Other files are left alone.
   */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "cliprec-features");
    root.put("version", 1);
    ObjectNode mods = root.putObject("modalities");
    for (Map.Entry<String, FloatMatrix> e : modalities.entrySet()) {
      String file = e.getKey() + SUFFIX + ".npy";
      Npy.write(dir.resolve(file), e.getValue());
      mods.put(e.getKey(), file);
    }
    root.set("provenance", JSON.valueToTree(provenance));
    try {
      Npy.writeAtomically(dir.resolve(MANIFEST), JSON.writeValueAsBytes(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("provenance is not JSON-serialisable: " + e.getMessage(), e);
    }
  }

  /** Writes all modalities into one {@code .npz} (entries named by modality; provenance not kept). */
  public void writeNpz(Path file, boolean compress) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    modalities.forEach((k, v) -> arrays.put(k, NpyArray.of(v)));
    Npz.write(file, arrays, compress);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ItemFeatures[");
    boolean first = true;
    for (Map.Entry<String, FloatMatrix> e : modalities.entrySet()) {
      sb.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().rows()).append('x')
          .append(e.getValue().cols());
      first = false;
    }
    return sb.append(']').toString();
  }
}
