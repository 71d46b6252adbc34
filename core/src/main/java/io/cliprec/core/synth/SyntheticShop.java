package io.cliprec.core.synth;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small synthetic shop for the quickstart and tests: items with catalog fields (title, brand, category,
 * colour, description) and users whose purchases follow hidden preferences over categories, brands and
 * colours, plus item popularity. Everything derives from one seed.
 *
 * <p>The split is per user and chronological: the last 10% of each user's purchases (at least one) is
 * test, the 10% before it valid, the rest train (MMRec-style multi-item test sets).
 */
public final class SyntheticShop {
  static final String[] CATEGORIES = {
    "running shoes", "backpack", "water bottle", "yoga mat", "headphones", "desk lamp",
    "coffee mug", "rain jacket", "wool socks", "sunglasses", "notebook", "phone case"
  };
  static final String[] COLOURS = {
    "black", "white", "red", "navy", "forest green", "sand", "grey", "sky blue", "orange", "purple"
  };
  static final String[] ADJECTIVES = {
    "lightweight", "classic", "ergonomic", "waterproof", "compact", "premium", "recycled", "durable",
    "minimalist", "travel"
  };
  static final String[] BRAND_STEMS = {
    "Nord", "Alpen", "Kestrel", "Lumo", "Tide", "Orca", "Pine", "Vela", "Zest", "Arro", "Brisk",
    "Cobalt", "Dune", "Ember", "Fjord", "Grit", "Halo", "Iris", "Juno", "Koda"
  };

  private final Dataset dataset;
  private final List<Map<String, String>> catalog;

  private SyntheticShop(Dataset dataset, List<Map<String, String>> catalog) {
    this.dataset = dataset;
    this.catalog = catalog;
  }

  /** The quickstart default: 1,500 users, 800 items, about 30,000 purchases. */
  public static SyntheticShop generate(long seed) {
    return generate(1500, 800, 20, seed);
  }

  /**
   * @param numUsers users to generate
   * @param numItems catalog size
   * @param meanPurchases mean purchases per user (at least 5 each)
   * @param seed RNG seed: equal seeds give identical shops
   */
  public static SyntheticShop generate(int numUsers, int numItems, int meanPurchases, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int nc = CATEGORIES.length;
    int nb = BRAND_STEMS.length;
    int ncol = COLOURS.length;
    int[] cat = new int[numItems];
    int[] brand = new int[numItems];
    int[] colour = new int[numItems];
    double[] pop = new double[numItems];
    List<Map<String, String>> catalog = new ArrayList<>(numItems);
    List<String> itemIds = new ArrayList<>(numItems);
    for (int i = 0; i < numItems; i++) {
      cat[i] = rng.nextInt(nc);
      // brands specialise: each brand sells mostly in two categories
      brand[i] = (cat[i] * 3 + (rng.nextInt(4) == 0 ? rng.nextInt(nb) : rng.nextInt(2))) % nb;
      colour[i] = rng.nextInt(ncol);
      pop[i] = Math.exp(1.2 * rng.nextDouble() * rng.nextDouble() * 3.0);
      String id = String.format("P%05d", i);
      itemIds.add(id);
      String adj = ADJECTIVES[rng.nextInt(ADJECTIVES.length)];
      Map<String, String> f = new LinkedHashMap<>();
      f.put("item_id", id);
      f.put("title", BRAND_STEMS[brand[i]] + " " + adj + " " + CATEGORIES[cat[i]] + " in " + COLOURS[colour[i]]);
      f.put("brand", BRAND_STEMS[brand[i]]);
      f.put("categories", "Shop > " + CATEGORIES[cat[i]]);
      f.put("colour", COLOURS[colour[i]]);
      f.put("description", "A " + adj + " " + CATEGORIES[cat[i]] + " by " + BRAND_STEMS[brand[i]]
          + ", colour " + COLOURS[colour[i]] + ".");
      catalog.add(f);
    }
    List<String> userIds = new ArrayList<>(numUsers);
    IntList us = new IntList();
    IntList is = new IntList();
    IntList ts = new IntList();
    double[] w = new double[numItems];
    for (int u = 0; u < numUsers; u++) {
      userIds.add(String.format("U%05d", u));
      double[] cPref = new double[nc];
      int fav1 = rng.nextInt(nc);
      int fav2 = rng.nextInt(nc);
      cPref[fav1] += 3.5;
      cPref[fav2] += 2.5;
      double[] bPref = new double[nb];
      bPref[rng.nextInt(nb)] += 1.5;
      double[] colPref = new double[ncol];
      colPref[rng.nextInt(ncol)] += 1.0;
      double total = 0;
      for (int i = 0; i < numItems; i++) {
        w[i] = pop[i] * Math.exp(cPref[cat[i]] + bPref[brand[i]] + colPref[colour[i]]);
        total += w[i];
      }
      int n = 5 + (int) Math.round(-Math.log(1 - rng.nextDouble()) * (meanPurchases - 5));
      n = Math.min(n, numItems / 2);
      boolean[] seen = new boolean[numItems];
      int got = 0;
      int guard = 0;
      while (got < n && guard++ < n * 50) {
        double x = rng.nextDouble() * total;
        int i = 0;
        while (i < numItems - 1 && (x -= w[i]) > 0) {
          i++;
        }
        if (seen[i]) {
          continue;
        }
        seen[i] = true;
        us.add(u);
        is.add(i);
        ts.add(got);
        got++;
      }
    }
    // chronological per-user 80/10/10 split (rows are grouped by user in time order)
    IntList trainRows = new IntList();
    IntList validRows = new IntList();
    IntList testRows = new IntList();
    int r = 0;
    while (r < us.size) {
      int s = r;
      while (r < us.size && us.data[r] == us.data[s]) {
        r++;
      }
      int len = r - s;
      int nTest = Math.max(1, (int) Math.round(len * 0.1));
      int nValid = Math.max(1, (int) Math.round(len * 0.1));
      for (int k = s; k < r; k++) {
        int pos = k - s;
        if (pos >= len - nTest) {
          testRows.add(k);
        } else if (pos >= len - nTest - nValid) {
          validRows.add(k);
        } else {
          trainRows.add(k);
        }
      }
    }
    long[] time = new long[ts.size];
    for (int k = 0; k < ts.size; k++) {
      time[k] = 1_700_000_000L + (long) us.data[k] * 1000 + ts.data[k];
    }
    Interactions all = new Interactions(us.toArray(), is.toArray(), null, time, null);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("source", "synthetic shop (seed " + seed + ")");
    meta.put("format", "synthetic");
    meta.put("split", "per-user chronological 80/10/10");
    meta.put("synthetic.users", Integer.toString(numUsers));
    meta.put("synthetic.items", Integer.toString(numItems));
    meta.put("synthetic.mean_purchases", Integer.toString(meanPurchases));
    meta.put("synthetic.seed", Long.toString(seed));
    Dataset ds = new Dataset("synthetic-shop", IdIndex.of(userIds), IdIndex.of(itemIds),
        all.select(trainRows.toArray()), all.select(validRows.toArray()), all.select(testRows.toArray()),
        Protocol.MMREC, meta);
    return new SyntheticShop(ds, catalog);
  }

  public Dataset dataset() {
    return dataset;
  }

  /** Catalog rows in item-index order; keys item_id, title, brand, categories, colour, description. */
  public List<Map<String, String>> catalog() {
    return catalog;
  }

  /**
   * Writes {@code shop.inter} (MMRec format, ids are dense indices) and {@code shop_items.tsv} (catalog
   * with item_index first) into {@code dir}, atomically per file.
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path inter = dir.resolve("shop.inter");
    Path tmp = Files.createTempFile(dir, ".shop", ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("userID\titemID\trating\ttimestamp\tx_label\n");
      Interactions[] parts = {dataset.train(), dataset.valid(), dataset.test()};
      for (int p = 0; p < 3; p++) {
        Interactions in = parts[p];
        for (int k = 0; k < in.size(); k++) {
          w.write(in.user(k) + "\t" + in.item(k) + "\t1\t" + in.timestamp(k) + "\t" + p + "\n");
        }
      }
    }
    Files.move(tmp, inter, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path items = dir.resolve("shop_items.tsv");
    tmp = Files.createTempFile(dir, ".items", ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      List<String> keys = new ArrayList<>(catalog.get(0).keySet());
      w.write("item_index\t" + String.join("\t", keys) + "\n");
      for (int i = 0; i < catalog.size(); i++) {
        StringBuilder sb = new StringBuilder().append(i);
        for (String k : keys) {
          sb.append('\t').append(catalog.get(i).get(k));
        }
        w.write(sb.append('\n').toString());
      }
    }
    Files.move(tmp, items, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static final class IntList {
    int[] data = new int[1024];
    int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
