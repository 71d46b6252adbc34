package io.cliprec.models.ctr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import io.cliprec.core.config.Config;
import io.cliprec.core.eval.PairScorer;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.train.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained CTR model (DeepFM or xDeepFM): click probability {@code sigmoid(logit)} of (user, item)
 * pairs. Immutable once built; {@link #predict} is thread-safe. Saved as {@code params.npy}
 * ({@code [1, P]} float32, the {@link CtrNet} parameters in {@code FlatParams} layout, fixed feature
 * tables included), {@code item_class.npy} ({@code [1, numItems]}, class index per item) and
 * {@code model.json} stamped {@code format = }{@value #FORMAT}.
 */
public final class CtrModel implements PairScorer {
  public static final String FORMAT = "cliprec-ctr-model";
  public static final int VERSION = 1;
  // rows per forward pass when predicting (xDeepFM: fewer, CtrNet.microRows)
  private static final int CHUNK = 2048;

  private final String name;
  private final CtrNet net;
  private final int[] itemClass;
  private final Config config;
  private final TrainingHistory history;
  private final Map<String, String> provenance;

  /**
   * @param net the network holding the final weights (not copied: do not train it further)
   * @param itemClass class index per item, length numItems (all 0 without a class field)
   * @param config the full configuration it was trained with
   * @param provenance dataset, data_hash, seed, java (copied)
   */
  public CtrModel(String name, CtrNet net, int[] itemClass, Config config, TrainingHistory history,
      Map<String, String> provenance) {
    if (itemClass.length != net.numItems()) {
      throw new IllegalArgumentException("itemClass length " + itemClass.length + " != " + net.numItems());
    }
    this.name = Objects.requireNonNull(name);
    this.net = net;
    this.itemClass = itemClass;
    this.config = Objects.requireNonNull(config);
    this.history = history;
    this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }

  public String name() {
    return name;
  }

  public Config config() {
    return config;
  }

  public TrainingHistory history() {
    return history;
  }

  public Map<String, String> provenance() {
    return provenance;
  }

  public int numUsers() {
    return net.numUsers();
  }

  public int numItems() {
    return net.numItems();
  }

  @Override
  public void predict(int[] users, int[] items, float[] out) {
    predict(net, itemClass, users, items, out);
  }

  /** Sigmoid of {@link CtrNet#logits} (no dropout) for every pair, in chunks. */
  static void predict(CtrNet net, int[] itemClass, int[] users, int[] items, float[] out) {
    int n = users.length;
    if (items.length != n || out.length < n) {
      throw new IllegalArgumentException("users, items and out must have the same length");
    }
    for (int k = 0; k < n; k++) {
      if (users[k] < 0 || users[k] >= net.numUsers() || items[k] < 0 || items[k] >= net.numItems()) {
        throw new IllegalArgumentException("pair " + k + " (user " + users[k] + ", item " + items[k]
            + ") is outside the model's " + net.numUsers() + " users x " + net.numItems() + " items");
      }
    }
    int chunk = Math.min(CHUNK, net.microRows());
    try (NDManager base = Engine.getEngine("PyTorch").newBaseManager()) {
      for (int off = 0; off < n; off += chunk) {
        int b = Math.min(chunk, n - off);
        int[] u = java.util.Arrays.copyOfRange(users, off, off + b);
        int[] i = java.util.Arrays.copyOfRange(items, off, off + b);
        int[] c = new int[b];
        for (int k = 0; k < b; k++) {
          c[k] = itemClass[i[k]];
        }
        try (NDManager m = base.newSubManager()) {
          CtrBatch batch = net.batch(u, i, c);
          NDArray[] w = net.params().leaves(m, false, batch.rowsOf());
          float[] p = Activation.sigmoid(net.logits(m, w, batch, false)).toFloatArray();
          System.arraycopy(p, 0, out, off, b);
        }
      }
    }
  }

  /** Writes the model into {@code dir} (created if missing); {@code model.json} last. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    float[] params = net.params().params();
    Npy.write(dir.resolve("params.npy"), new int[] {1, params.length}, params);
    float[] cls = new float[itemClass.length];
    for (int k = 0; k < cls.length; k++) {
      cls[k] = itemClass[k];
    }
    Npy.write(dir.resolve("item_class.npy"), new int[] {1, cls.length}, cls);
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.put("ctr.kind", net.kind().name());
    prov.put("ctr.classes", Integer.toString(net.numClasses()));
    StringBuilder pl = new StringBuilder();
    for (FieldPlugin f : net.plugins()) {
      pl.append(pl.length() == 0 ? "" : ",").append(f.name()).append(':').append(f.dim()).append(':')
          .append(f.mode().name());
    }
    prov.put("ctr.plugins", pl.toString());
    ModelJson.write(dir, FORMAT, VERSION, name, net.numUsers(), net.numItems(), params.length, config,
        prov, history);
  }

  /** Reads a directory written by {@link #save}. */
  public static CtrModel load(Path dir) throws IOException {
    ModelJson meta = ModelJson.read(dir, FORMAT, VERSION);
    Map<String, String> prov = new LinkedHashMap<>(meta.provenance());
    FloatMatrix params = Npy.readMatrix(dir.resolve("params.npy"));
    FloatMatrix cls = Npy.readMatrix(dir.resolve("item_class.npy"));
    List<FieldPlugin> plugins = new ArrayList<>();
    String pl = prov.remove("ctr.plugins");
    if (pl != null && !pl.isEmpty()) {
      for (String s : pl.split(",")) {
        String[] f = s.split(":");
        plugins.add(new FieldPlugin(f[0], Integer.parseInt(f[1]), FieldPlugin.Mode.valueOf(f[2])));
      }
    }
    CtrNet.Kind kind = CtrNet.Kind.valueOf(prov.remove("ctr.kind"));
    int classes = Integer.parseInt(prov.remove("ctr.classes"));
    int[] itemClass = new int[cls.cols()];
    for (int k = 0; k < itemClass.length; k++) {
      itemClass[k] = (int) cls.data()[k];
    }
    CtrNet net = CtrRecommender.network(kind, meta.config(), meta.users(), itemClass.length, classes,
        plugins);
    float[] w = net.params().params();
    if (params.cols() != w.length) {
      throw new IOException(dir + ": params.npy has " + params.cols() + " values, the network needs "
          + w.length);
    }
    System.arraycopy(params.data(), 0, w, 0, w.length);
    return new CtrModel(meta.model(), net, itemClass, meta.config(), meta.history(), prov);
  }
}
