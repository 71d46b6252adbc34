package io.cliprec.core.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Summary statistics of a {@link Dataset} for {@code cliprec data inspect}: sizes, density,
 * interactions per user / item in train (min, median, max), duplicate (user, item) rows, users without
 * training rows, and valid/test items never seen in train ("cold" items). Immutable; compute with
 * {@link #of(Dataset)}.
 */
public final class DatasetStats {
  private final String name;
  private final String format;
  private final Protocol protocol;
  private final int users;
  private final int items;
  private final int trainRows;
  private final int validRows;
  private final int testRows;
  private final double density;
  private final int[] perUser;
  private final int[] perItem;
  private final int duplicateRows;
  private final int usersWithoutTrain;
  private final int itemsWithoutTrain;
  private final int coldValidItems;
  private final int coldTestItems;
  private final int coldValidRows;
  private final int coldTestRows;
  private final long positiveRows;
  private final boolean labelled;

  private DatasetStats(Dataset d) {
    name = d.name();
    format = d.meta().getOrDefault("format", "?");
    protocol = d.protocol();
    users = d.numUsers();
    items = d.numItems();
    Interactions tr = d.train();
    trainRows = tr.size();
    validRows = d.valid().size();
    testRows = d.test().size();
    long total = (long) trainRows + validRows + testRows;
    density = users == 0 || items == 0 ? 0 : total / ((double) users * items);
    int[] cu = new int[users];
    int[] ci = new int[items];
    boolean[] inTrain = new boolean[items];
    for (int r = 0; r < trainRows; r++) {
      cu[tr.user(r)]++;
      ci[tr.item(r)]++;
      inTrain[tr.item(r)] = true;
    }
    int noTrainU = 0;
    for (int c : cu) {
      if (c == 0) {
        noTrainU++;
      }
    }
    int noTrainI = 0;
    for (int c : ci) {
      if (c == 0) {
        noTrainI++;
      }
    }
    usersWithoutTrain = noTrainU;
    itemsWithoutTrain = noTrainI;
    perUser = minMedianMax(cu);
    perItem = minMedianMax(ci);
    int[] cold = cold(d.valid(), inTrain);
    coldValidItems = cold[0];
    coldValidRows = cold[1];
    cold = cold(d.test(), inTrain);
    coldTestItems = cold[0];
    coldTestRows = cold[1];
    long[] keys = new long[(int) total];
    int k = 0;
    long pos = 0;
    labelled = tr.hasLabels();
    for (Interactions in : new Interactions[] {tr, d.valid(), d.test()}) {
      for (int r = 0; r < in.size(); r++) {
        keys[k++] = (long) in.user(r) * items + in.item(r);
        if (in.hasLabels() && in.label(r) > 0) {
          pos++;
        }
      }
    }
    positiveRows = pos;
    Arrays.sort(keys);
    int dup = 0;
    for (int j = 1; j < keys.length; j++) {
      if (keys[j] == keys[j - 1]) {
        dup++;
      }
    }
    duplicateRows = dup;
  }

  /** Computes the statistics of {@code d} (linear time plus one sort of the rows). */
  public static DatasetStats of(Dataset d) {
    return new DatasetStats(d);
  }

  private static int[] minMedianMax(int[] counts) {
    if (counts.length == 0) {
      return new int[] {0, 0, 0};
    }
    int[] s = counts.clone();
    Arrays.sort(s);
    return new int[] {s[0], s[(s.length - 1) / 2], s[s.length - 1]};
  }

  /** {distinct items not in train, rows with such items}. */
  private static int[] cold(Interactions in, boolean[] inTrain) {
    boolean[] seen = new boolean[inTrain.length];
    int items = 0;
    int rows = 0;
    for (int r = 0; r < in.size(); r++) {
      int i = in.item(r);
      if (!inTrain[i]) {
        rows++;
        if (!seen[i]) {
          seen[i] = true;
          items++;
        }
      }
    }
    return new int[] {items, rows};
  }

  public int users() {
    return users;
  }

  public int items() {
    return items;
  }

  public int rows(Split s) {
    return s == Split.TRAIN ? trainRows : s == Split.VALID ? validRows : testRows;
  }

  /** All rows over (users &times; items). */
  public double density() {
    return density;
  }

  /** {min, median (lower), max} training rows per user, over all users. */
  public int[] trainPerUser() {
    return perUser.clone();
  }

  /** {min, median (lower), max} training rows per item, over all items. */
  public int[] trainPerItem() {
    return perItem.clone();
  }

  /** Rows whose (user, item) pair already occurred in an earlier row (any split). */
  public int duplicateRows() {
    return duplicateRows;
  }

  public int usersWithoutTrain() {
    return usersWithoutTrain;
  }

  public int itemsWithoutTrain() {
    return itemsWithoutTrain;
  }

  /** Distinct valid items that never occur in train. */
  public int coldValidItems() {
    return coldValidItems;
  }

  /** Distinct test items that never occur in train. */
  public int coldTestItems() {
    return coldTestItems;
  }

  public int coldValidRows() {
    return coldValidRows;
  }

  public int coldTestRows() {
    return coldTestRows;
  }

  /** JSON-friendly map (insertion ordered; numbers as Integer/Long/Double). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("format", format);
    m.put("protocol", protocol.name());
    m.put("users", users);
    m.put("items", items);
    m.put("train_rows", trainRows);
    m.put("valid_rows", validRows);
    m.put("test_rows", testRows);
    m.put("density", density);
    m.put("train_per_user", Map.of("min", perUser[0], "median", perUser[1], "max", perUser[2]));
    m.put("train_per_item", Map.of("min", perItem[0], "median", perItem[1], "max", perItem[2]));
    m.put("duplicate_rows", duplicateRows);
    m.put("users_without_train", usersWithoutTrain);
    m.put("items_without_train", itemsWithoutTrain);
    m.put("cold_valid_items", coldValidItems);
    m.put("cold_valid_rows", coldValidRows);
    m.put("cold_test_items", coldTestItems);
    m.put("cold_test_rows", coldTestRows);
    if (labelled) {
      m.put("positive_rows", positiveRows);
    }
    return m;
  }

  /** Human-readable multi-line report. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "dataset %s (format %s, protocol %s)%n", name, format, protocol));
    sb.append(String.format(Locale.ROOT, "  users %,d   items %,d   density %.6f%n", users, items, density));
    sb.append(String.format(Locale.ROOT, "  rows: train %,d / valid %,d / test %,d%n", trainRows,
        validRows, testRows));
    sb.append(String.format(Locale.ROOT, "  train rows per user: min %d, median %d, max %d%n",
        perUser[0], perUser[1], perUser[2]));
    sb.append(String.format(Locale.ROOT, "  train rows per item: min %d, median %d, max %d%n",
        perItem[0], perItem[1], perItem[2]));
    sb.append(String.format(Locale.ROOT, "  duplicate (user, item) rows: %,d%n", duplicateRows));
    sb.append(String.format(Locale.ROOT, "  users without train rows: %,d; items without train rows: %,d%n",
        usersWithoutTrain, itemsWithoutTrain));
    sb.append(String.format(Locale.ROOT, "  cold items (not in train): valid %,d (%,d rows), test %,d (%,d rows)%n",
        coldValidItems, coldValidRows, coldTestItems, coldTestRows));
    if (labelled) {
      sb.append(String.format(Locale.ROOT, "  positive-label rows: %,d%n", positiveRows));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toText();
  }
}
