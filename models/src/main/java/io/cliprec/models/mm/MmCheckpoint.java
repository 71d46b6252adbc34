package io.cliprec.models.mm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.train.Adam;
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
 * Per-epoch state of {@link MmTrainer}, saved atomically like the embedding trainer's checkpoints: a fresh
 * {@code mm-epoch-NNNNNN.tmp*} directory is filled, renamed to {@code mm-epoch-NNNNNN}, then the pointer
 * file {@code MM_LATEST} is replaced atomically and older epoch directories are deleted.
 *
 * <p>Contents: per {@link Param} k {@code p<k>.npy} (values {@code [1, len]}), {@code m<k>.npy},
 * {@code v<k>.npy} (Adam moments); {@code best_user.npy}/{@code best_item.npy} (best-validation factors)
 * and {@code state.json} (format stamp, model, seed, data hash, config, epoch, Adam steps, early-stopping
 * counters, history, param names and lengths). Models hold no other state: per-epoch randomness derives
 * from (seed, epoch) and LATTICE rebuilds its item graph at each epoch's first batch.
 */
final class MmCheckpoint {
  static final String FORMAT = "cliprec-mm-checkpoint";
  static final int VERSION = 1;
  private static final String LATEST = "MM_LATEST";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Trainer state besides params and optimizer. */
  static final class State {
    String model;
    long seed;
    String dataHash;
    Map<String, Object> config = new LinkedHashMap<>();
    int epoch;
    double bestValid = -1;
    int bestEpoch;
    int curStep;
    boolean stopped;
    List<Double> loss = new ArrayList<>();
    List<Double> valid = new ArrayList<>();
    List<Double> trainSeconds = new ArrayList<>();
    List<Double> evalSeconds = new ArrayList<>();
    FloatMatrix[] best;
  }

  private MmCheckpoint() {}

  static boolean exists(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve(LATEST));
  }

  static void save(Path dir, State s, List<Param> params, List<Adam> adams) throws IOException {
    Files.createDirectories(dir);
    String name = String.format("mm-epoch-%06d", s.epoch);
    Path tmp = Files.createTempDirectory(dir, name + ".tmp");
    List<String> names = new ArrayList<>();
    List<Integer> lens = new ArrayList<>();
    List<Long> steps = new ArrayList<>();
    for (int k = 0; k < params.size(); k++) {
      Param p = params.get(k);
      Npy.write(tmp.resolve("p" + k + ".npy"), new int[] {1, p.value.length}, p.value);
      Npy.write(tmp.resolve("m" + k + ".npy"), new int[] {1, p.value.length}, adams.get(k).firstMoment());
      Npy.write(tmp.resolve("v" + k + ".npy"), new int[] {1, p.value.length}, adams.get(k).secondMoment());
      names.add(p.name);
      lens.add(p.value.length);
      steps.add(adams.get(k).step());
    }
    if (s.best != null) {
      Npy.write(tmp.resolve("best_user.npy"), s.best[0]);
      Npy.write(tmp.resolve("best_item.npy"), s.best[1]);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("model", s.model);
    m.put("seed", s.seed);
    m.put("dataHash", s.dataHash);
    m.put("config", s.config);
    m.put("epoch", s.epoch);
    m.put("bestValid", s.bestValid);
    m.put("bestEpoch", s.bestEpoch);
    m.put("curStep", s.curStep);
    m.put("stopped", s.stopped);
    m.put("params", names);
    m.put("lengths", lens);
    m.put("adamSteps", steps);
    m.put("loss", nanSafe(s.loss));
    m.put("valid", nanSafe(s.valid));
    m.put("trainSeconds", s.trainSeconds);
    m.put("evalSeconds", s.evalSeconds);
    Files.write(tmp.resolve("state.json"), JSON.writeValueAsBytes(m));
    Path target = dir.resolve(name);
    if (Files.exists(target)) {
      deleteTree(target);
    }
    AtomicFiles.move(tmp, target);
    AtomicFiles.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "mm-epoch-*")) {
      for (Path p : ds) {
        if (!p.getFileName().toString().equals(name)) {
          deleteTree(p);
        }
      }
    }
  }

  /**
   * Restores params and Adam states in place and returns the trainer state.
   *
   * @throws IllegalArgumentException when the checkpoint was made by another model, seed, dataset or
   *     parameter layout
   */
  @SuppressWarnings("unchecked")
  static State load(Path dir, String model, long seed, String dataHash, List<Param> params,
      List<Adam> adams) throws IOException {
    String name = Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8).trim();
    Path d = dir.resolve(name);
    Map<String, Object> m = JSON.readValue(d.resolve("state.json").toFile(), Map.class);
    if (!FORMAT.equals(m.get("format")) || ((Number) m.get("version")).intValue() > VERSION) {
      throw new IOException(d + ": not a " + FORMAT + " v" + VERSION + " checkpoint");
    }
    State s = new State();
    s.model = (String) m.get("model");
    s.seed = ((Number) m.get("seed")).longValue();
    s.dataHash = (String) m.get("dataHash");
    List<String> names = (List<String>) m.get("params");
    List<Number> lens = (List<Number>) m.get("lengths");
    if (!model.equals(s.model) || s.seed != seed || !dataHash.equals(s.dataHash)
        || names.size() != params.size()) {
      throw new IllegalArgumentException("checkpoint in " + dir + " was made by model " + s.model
          + ", seed " + s.seed + ", data " + s.dataHash + "; this run is " + model + ", seed " + seed
          + ", data " + dataHash);
    }
    List<Number> steps = (List<Number>) m.get("adamSteps");
    for (int k = 0; k < params.size(); k++) {
      Param p = params.get(k);
      if (!p.name.equals(names.get(k)) || p.value.length != lens.get(k).intValue()) {
        throw new IllegalArgumentException("checkpoint parameter " + names.get(k) + "[" + lens.get(k)
            + "] does not match " + p.name + "[" + p.value.length + "] (other features or config?)");
      }
      System.arraycopy(Npy.readMatrix(d.resolve("p" + k + ".npy")).data(), 0, p.value, 0, p.value.length);
      adams.get(k).restore(Npy.readMatrix(d.resolve("m" + k + ".npy")).data(),
          Npy.readMatrix(d.resolve("v" + k + ".npy")).data(), steps.get(k).longValue());
    }
    s.config = (Map<String, Object>) m.get("config");
    s.epoch = ((Number) m.get("epoch")).intValue();
    s.bestValid = ((Number) m.get("bestValid")).doubleValue();
    s.bestEpoch = ((Number) m.get("bestEpoch")).intValue();
    s.curStep = ((Number) m.get("curStep")).intValue();
    s.stopped = (Boolean) m.get("stopped");
    s.loss = doubles(m.get("loss"));
    s.valid = doubles(m.get("valid"));
    s.trainSeconds = doubles(m.get("trainSeconds"));
    s.evalSeconds = doubles(m.get("evalSeconds"));
    if (Files.isRegularFile(d.resolve("best_user.npy"))) {
      s.best = new FloatMatrix[] {Npy.readMatrix(d.resolve("best_user.npy")), Npy.readMatrix(d.resolve("best_item.npy"))};
    }
    return s;
  }

  private static List<Object> nanSafe(List<Double> l) {
    List<Object> out = new ArrayList<>();
    for (Double v : l) {
      out.add(v == null || v.isNaN() ? null : v);
    }
    return out;
  }

  private static List<Double> doubles(Object o) {
    List<Double> out = new ArrayList<>();
    for (Object v : (List<?>) o) {
      out.add(v == null ? Double.NaN : ((Number) v).doubleValue());
    }
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
