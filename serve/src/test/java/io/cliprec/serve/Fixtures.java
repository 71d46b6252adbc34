package io.cliprec.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.seq.SasRecNet;
import io.cliprec.models.seq.SasRecSessionEncoder;
import io.cliprec.models.seq.SeqFactorModel;
import io.cliprec.models.train.FactorModel;
import io.cliprec.serve.bundle.Bundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The small test bundle (20 users x 15 items, d = 4, image d = 3 and text d = 5 features) and its
 * expected predictions, computed here by brute force (score everything, sort), independently of
 * {@link ServingIndex}. {@link #main} regenerated the committed fixture under
 * {@code src/test/resources/bundle-v1} once; it must not be regenerated for a format change: the point
 * of the fixture is that bundles written by older code keep loading and predicting the same.
 */
public final class Fixtures {
  static final int USERS = 20;
  static final int ITEMS = 15;
  static final int DIM = 4;

  private Fixtures() {}

  /** The fixture's dataset: user "u 19" has a space (ids are percent-decoded in paths). */
  public static Dataset dataset(long seed) {
    List<String> u = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      u.add(i == USERS - 1 ? "u 19" : String.format("u%02d", i));
    }
    List<String> it = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      it.add(String.format("item-%02d", i));
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < USERS; a++) {
      int n = 2 + r.nextInt(3);
      for (int j = 0; j < n; j++) {
        pairs.add(new int[] {a, r.nextInt(ITEMS)});
      }
    }
    int[] pu = pairs.stream().mapToInt(p -> p[0]).toArray();
    int[] pi = pairs.stream().mapToInt(p -> p[1]).toArray();
    Interactions train = new Interactions(pu, pi, null, null, null);
    return new Dataset("fixture", IdIndex.of(u), IdIndex.of(it), train, Interactions.empty(),
        Interactions.empty(), Protocol.MMREC, Map.of("format", "synthetic"));
  }

  public static FactorModel model(long seed) {
    SplittableRandom r = new SplittableRandom(seed + 1);
    return new FactorModel("bpr", Config.of(Map.of("embedding_size", DIM)), null,
        gaussian(r, USERS, DIM), gaussian(r, ITEMS, DIM));
  }

  public static ItemFeatures features(long seed) {
    SplittableRandom r = new SplittableRandom(seed + 2);
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    m.put("image", gaussian(r, ITEMS, 3));
    m.put("text", gaussian(r, ITEMS, 5));
    return new ItemFeatures(m, Map.of("encoder", "random-test-fixture"));
  }

  static FloatMatrix gaussian(SplittableRandom r, int rows, int cols) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return new FloatMatrix(rows, cols, a);
  }

  /** The committed bundle written by format version 1 (never regenerated). */
  public static Path committed() {
    try {
      return Path.of(Fixtures.class.getResource("/bundle-v1/manifest.json").toURI()).getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a bundle of the fixture data into {@code out}. */
  public static void writeBundle(Path out, long seed) throws IOException {
    Dataset ds = dataset(seed);
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("model", "bpr");
    prov.put("seed", seed);
    prov.put("dataset", Map.of("name", ds.name(), "hash", ds.contentHash()));
    Bundle.write(out, model(seed), ds.users(), ds.items(), Bundle.seenMatrix(ds), features(seed), prov);
  }

  /** Session length of {@link #sasrecNet}. */
  public static final int SASREC_MAX_LEN = 4;

  /**
   * An untrained SASRec network over the fixture's items (d = 8, 2 heads, 2 layers, max length
   * {@value #SASREC_MAX_LEN}), weights scaled up so attention is far from uniform.
   */
  public static SasRecNet sasrecNet(long seed) {
    SasRecNet net = new SasRecNet(ITEMS, 8, 2, 16, 2, SASREC_MAX_LEN, 0.2, 0.2);
    net.init(seed);
    float[] p = net.params();
    for (int k = 0; k < p.length; k++) {
      p[k] *= 10;
    }
    return net;
  }

  /**
   * Writes a SASRec bundle of the fixture data (the net of {@link #sasrecNet}; user factors random,
   * item factors = the net's item table, plus its session encoder) into {@code out}.
   */
  public static void writeSasRecBundle(Path out, long seed) throws IOException {
    Dataset ds = dataset(seed);
    SasRecNet net = sasrecNet(seed);
    float[] p = net.params();
    int d = net.hidden();
    FloatMatrix items = new FloatMatrix(ITEMS, d,
        Arrays.copyOfRange(p, net.offset(SasRecNet.ITEM_EMB) + d, net.offset(SasRecNet.ITEM_EMB) + (ITEMS + 1) * d));
    FloatMatrix users = gaussian(new SplittableRandom(seed), USERS, d);
    SeqFactorModel m = new SeqFactorModel("sasrec", Config.of(Map.of("hidden_size", d)), null, users, users,
        items, Map.of(), SasRecSessionEncoder.of(net));
    Bundle.write(out, m, ds.users(), ds.items(), Bundle.seenMatrix(ds), null, Map.of("model", "sasrec"));
  }

  /** Brute-force top-k: indices sorted by score descending, ties by index, excluded skipped. */
  static int[] bruteTopK(float[] scores, int[] excluded, int k) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return Arrays.stream(idx).filter(i -> Arrays.binarySearch(excluded, i) < 0).limit(k)
        .mapToInt(Integer::intValue).toArray();
  }

  static float dot(float[] a, int ao, float[] b, int bo, int d) {
    float acc = 0f;
    for (int c = 0; c < d; c++) {
      acc = Math.fma(a[ao + c], b[bo + c], acc);
    }
    return acc;
  }

  /** Expected top-5 (exclude seen) per user: {user: [[item, score], ...]}, brute force. */
  static Map<String, Object> expected(Bundle b) {
    FloatMatrix u = b.userFactors();
    FloatMatrix v = b.itemFactors();
    CsrMatrix seen = b.seen();
    Map<String, Object> users = new LinkedHashMap<>();
    for (int a = 0; a < u.rows(); a++) {
      float[] s = new float[v.rows()];
      for (int i = 0; i < v.rows(); i++) {
        s[i] = dot(u.data(), a * DIM, v.data(), i * DIM, DIM);
      }
      List<Object> list = new ArrayList<>();
      for (int i : bruteTopK(s, seen.row(a), 5)) {
        list.add(List.of(b.items().id(i), s[i]));
      }
      users.put(b.users().id(a), list);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", 5);
    out.put("exclude_seen", true);
    out.put("users", users);
    return out;
  }

  /** Regenerates {@code src/test/resources/bundle-v1} and {@code expected-v1.json} (run once). */
  public static void main(String[] args) throws IOException {
    Path res = Path.of(args.length > 0 ? args[0] : "serve/src/test/resources");
    Path dir = res.resolve("bundle-v1");
    if (Files.exists(dir)) {
      throw new IOException(dir + " exists: the committed fixture must not be regenerated");
    }
    writeBundle(dir, 20261125L);
    Bundle b = Bundle.load(dir);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(res.resolve("expected-v1.json").toFile(), expected(b));
    System.out.println("wrote " + dir + " (" + b + ")");
  }
}
