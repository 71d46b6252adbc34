package io.cliprec.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-epoch training state, saved atomically: everything is written into a fresh
 * {@code epoch-NNNNNN.tmp*} directory that is renamed to {@code epoch-NNNNNN} once complete, then the
 * one-line pointer file {@code LATEST} is replaced atomically and older epoch directories are deleted. A
 * crash at any point leaves {@code LATEST} naming a complete checkpoint.
 *
 * <p>Contents: {@code ego.npy} (ego embeddings {@code [users+items, d]}), {@code adam_m.npy},
 * {@code adam_v.npy} (Adam moments, same shape), optional {@code best_user.npy}/{@code best_item.npy}
 * (best-validation final factors), optional {@code plugin.npy}, {@code plugin_adam_m.npy},
 * {@code plugin_adam_v.npy} ({@code [1, n]}: trainable {@link ItemPlugin} values and their Adam moments)
 * and {@code state.json} (format stamp, epoch, Adam step, early-stopping counters, history, seed, data
 * hash, model name, config). The RNG needs no saved state: epoch e's stream
 * is derived from (seed, e).
 */
public final class Checkpoint {
  public static final String FORMAT = "cliprec-train-checkpoint";
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Mutable bag of training state. Arrays are {@code [rows, d]} row-major. */
  public static final class State {
    public String model;
    public long seed;
    public String dataHash;
    public Map<String, Object> config = new LinkedHashMap<>();
    public int epoch;
    public long adamStep;
    public int dim;
    public int numUsers;
    public int numItems;
    public float[] ego;
    public float[] adamM;
    public float[] adamV;
    public float[] bestUser;
    /** Trainable plug-in values ({@link ItemPlugin#params()}) and their Adam moments, or null. */
    public float[] plugin;
    public float[] pluginAdamM;
    public float[] pluginAdamV;
    public float[] bestItem;
    public int bestEpoch;
    public double bestValid = -1;
    public int curStep;
    public boolean stoppedEarly;
    public List<Double> loss = new ArrayList<>();
    public List<Double> valid = new ArrayList<>();
    public List<Double> trainSeconds = new ArrayList<>();
    public List<Double> evalSeconds = new ArrayList<>();
    /** Further named vectors a trainer needs to continue (e.g. batch-norm running statistics). */
    public Map<String, float[]> extra = new LinkedHashMap<>();
  }

  private Checkpoint() {}

  /** Whether {@code dir} holds a checkpoint. */
  public static boolean exists(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve("LATEST"));
  }

  public static void save(Path dir, State s) throws IOException {
    Files.createDirectories(dir);
    String name = String.format("epoch-%06d", s.epoch);
    Path tmp = Files.createTempDirectory(dir, name + ".tmp");
    int n = s.numUsers + s.numItems;
    Npy.write(tmp.resolve("ego.npy"), new int[] {n, s.dim}, s.ego);
    Npy.write(tmp.resolve("adam_m.npy"), new int[] {n, s.dim}, s.adamM);
    Npy.write(tmp.resolve("adam_v.npy"), new int[] {n, s.dim}, s.adamV);
    if (s.plugin != null) {
      Npy.write(tmp.resolve("plugin.npy"), new int[] {1, s.plugin.length}, s.plugin);
      Npy.write(tmp.resolve("plugin_adam_m.npy"), new int[] {1, s.plugin.length}, s.pluginAdamM);
      Npy.write(tmp.resolve("plugin_adam_v.npy"), new int[] {1, s.plugin.length}, s.pluginAdamV);
    }
    if (s.bestUser != null) {
      Npy.write(tmp.resolve("best_user.npy"), new int[] {s.numUsers, s.dim}, s.bestUser);
      Npy.write(tmp.resolve("best_item.npy"), new int[] {s.numItems, s.dim}, s.bestItem);
    }
    for (Map.Entry<String, float[]> e : s.extra.entrySet()) {
      if (!e.getKey().matches("[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException("checkpoint vector name must be [A-Za-z0-9_]+: " + e.getKey());
      }
      Npy.write(tmp.resolve("extra-" + e.getKey() + ".npy"), new int[] {1, e.getValue().length}, e.getValue());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("model", s.model);
    m.put("seed", s.seed);
    m.put("dataHash", s.dataHash);
    m.put("config", s.config);
    m.put("epoch", s.epoch);
    m.put("adamStep", s.adamStep);
    m.put("dim", s.dim);
    m.put("numUsers", s.numUsers);
    m.put("numItems", s.numItems);
    m.put("bestEpoch", s.bestEpoch);
    m.put("bestValid", s.bestValid);
    m.put("curStep", s.curStep);
    m.put("stoppedEarly", s.stoppedEarly);
    m.put("loss", s.loss);
    m.put("valid", s.valid);
    m.put("trainSeconds", s.trainSeconds);
    m.put("evalSeconds", s.evalSeconds);
    AtomicFiles.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(m));
    Path target = dir.resolve(name);
    if (Files.exists(target)) {
      deleteTree(target);
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.write(dir.resolve("LATEST"), (name + "\n").getBytes(StandardCharsets.UTF_8));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "epoch-*")) {
      for (Path p : ds) {
        if (!p.getFileName().toString().equals(name)) {
          deleteTree(p);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  public static State load(Path dir) throws IOException {
    String name = Files.readString(dir.resolve("LATEST"), StandardCharsets.UTF_8).trim();
    Path d = dir.resolve(name);
    Map<String, Object> m = JSON.readValue(d.resolve("state.json").toFile(), Map.class);
    if (!FORMAT.equals(m.get("format")) || ((Number) m.get("version")).intValue() > VERSION) {
      throw new IOException(d + ": not a " + FORMAT + " v" + VERSION + " checkpoint");
    }
    State s = new State();
    s.model = (String) m.get("model");
    s.seed = ((Number) m.get("seed")).longValue();
    s.dataHash = (String) m.get("dataHash");
    s.config = (Map<String, Object>) m.get("config");
    s.epoch = ((Number) m.get("epoch")).intValue();
    s.adamStep = ((Number) m.get("adamStep")).longValue();
    s.dim = ((Number) m.get("dim")).intValue();
    s.numUsers = ((Number) m.get("numUsers")).intValue();
    s.numItems = ((Number) m.get("numItems")).intValue();
    s.bestEpoch = ((Number) m.get("bestEpoch")).intValue();
    s.bestValid = number(m.get("bestValid"));
    s.curStep = ((Number) m.get("curStep")).intValue();
    s.stoppedEarly = Boolean.TRUE.equals(m.get("stoppedEarly"));
    s.loss = doubles(m.get("loss"));
    s.valid = doubles(m.get("valid"));
    s.trainSeconds = doubles(m.get("trainSeconds"));
    s.evalSeconds = doubles(m.get("evalSeconds"));
    s.ego = Npy.readMatrix(d.resolve("ego.npy")).data();
    s.adamM = Npy.readMatrix(d.resolve("adam_m.npy")).data();
    s.adamV = Npy.readMatrix(d.resolve("adam_v.npy")).data();
    if (Files.exists(d.resolve("plugin.npy"))) {
      s.plugin = Npy.readMatrix(d.resolve("plugin.npy")).data();
      s.pluginAdamM = Npy.readMatrix(d.resolve("plugin_adam_m.npy")).data();
      s.pluginAdamV = Npy.readMatrix(d.resolve("plugin_adam_v.npy")).data();
    }
    try (DirectoryStream<Path> ex = Files.newDirectoryStream(d, "extra-*.npy")) {
      List<Path> files = new ArrayList<>();
      ex.forEach(files::add);
      files.sort(null);
      for (Path f : files) {
        String fn = f.getFileName().toString();
        s.extra.put(fn.substring("extra-".length(), fn.length() - ".npy".length()), Npy.readMatrix(f).data());
      }
    }
    if (Files.exists(d.resolve("best_user.npy"))) {
      FloatMatrix bu = Npy.readMatrix(d.resolve("best_user.npy"));
      FloatMatrix bi = Npy.readMatrix(d.resolve("best_item.npy"));
      s.bestUser = bu.data();
      s.bestItem = bi.data();
    }
    return s;
  }

  private static List<Double> doubles(Object o) {
    List<Double> out = new ArrayList<>();
    if (o instanceof List) {
      for (Object x : (List<?>) o) {
        out.add(number(x));
      }
    }
    return out;
  }

  /** A JSON number; NaN and infinities are written by Jackson as the strings "NaN", "-Infinity". */
  private static double number(Object x) {
    return x instanceof Number ? ((Number) x).doubleValue() : Double.parseDouble(String.valueOf(x));
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    }
  }
}
