package io.cliprec.core.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A recommendation dataset: dense user and item indices (external ids kept in {@link IdIndex}es) and
 * train / valid / test {@link Interactions}. Immutable; derived structures are computed lazily once.
 */
public final class Dataset {
  private final String name;
  private final IdIndex users;
  private final IdIndex items;
  private final Interactions train;
  private final Interactions valid;
  private final Interactions test;
  private final Protocol protocol;
  private final Map<String, String> meta;
  private final ItemAttributes itemAttributes;
  private volatile CsrMatrix trainMatrix;
  private volatile String hash;

  /**
   * @param name short dataset name (e.g. "baby")
   * @param users user index (size = number of users)
   * @param items item index (size = number of items)
   * @param train training rows
   * @param valid validation rows (may be empty)
   * @param test test rows (may be empty)
   * @param protocol how it is evaluated
   * @param meta free-form provenance (source path, format, splitter); copied
   */
  public Dataset(String name, IdIndex users, IdIndex items, Interactions train, Interactions valid,
      Interactions test, Protocol protocol, Map<String, String> meta) {
    this(name, users, items, train, valid, test, protocol, meta, ItemAttributes.empty());
  }

  /**
   * As above, with item attributes ({@link ItemAttributes#empty()} for none; otherwise its
   * {@code numItems()} must equal {@code items.size()}).
   */
  public Dataset(String name, IdIndex users, IdIndex items, Interactions train, Interactions valid,
      Interactions test, Protocol protocol, Map<String, String> meta, ItemAttributes itemAttributes) {
    this.name = Objects.requireNonNull(name);
    this.users = Objects.requireNonNull(users);
    this.items = Objects.requireNonNull(items);
    this.train = Objects.requireNonNull(train);
    this.valid = Objects.requireNonNull(valid);
    this.test = Objects.requireNonNull(test);
    this.protocol = Objects.requireNonNull(protocol);
    this.meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    this.itemAttributes = Objects.requireNonNull(itemAttributes);
    if (!itemAttributes.isEmpty() && itemAttributes.numItems() != items.size()) {
      throw new IllegalArgumentException("item attributes have " + itemAttributes.numItems()
          + " rows, dataset has " + items.size() + " items");
    }
  }

  public String name() {
    return name;
  }

  public IdIndex users() {
    return users;
  }

  public IdIndex items() {
    return items;
  }

  public int numUsers() {
    return users.size();
  }

  public int numItems() {
    return items.size();
  }

  public Interactions train() {
    return train;
  }

  public Interactions valid() {
    return valid;
  }

  public Interactions test() {
    return test;
  }

  public Interactions split(Split s) {
    switch (s) {
      case TRAIN:
        return train;
      case VALID:
        return valid;
      default:
        return test;
    }
  }

  public Protocol protocol() {
    return protocol;
  }

  public Map<String, String> meta() {
    return meta;
  }

  /** Item attributes read with the data ({@link ItemAttributes#empty()} when the source had none). */
  public ItemAttributes itemAttributes() {
    return itemAttributes;
  }

  /** A copy with another protocol. */
  public Dataset withProtocol(Protocol p) {
    return new Dataset(name, users, items, train, valid, test, p, meta, itemAttributes);
  }

  /** A copy with these item attributes. */
  public Dataset withItemAttributes(ItemAttributes a) {
    return new Dataset(name, users, items, train, valid, test, protocol, meta, a);
  }

  /** A copy with other splits (same ids, protocol, attributes) and extra meta entries. */
  public Dataset withSplits(Interactions train, Interactions valid, Interactions test, Protocol p,
      Map<String, String> extraMeta) {
    Map<String, String> m = new LinkedHashMap<>(meta);
    m.putAll(extraMeta);
    return new Dataset(name, users, items, train, valid, test, p, m, itemAttributes);
  }

  /**
   * All rows: train, then valid, then test. Optional columns are kept when every non-empty part has
   * them (empty parts are ignored).
   */
  public Interactions allRows() {
    Interactions out = null;
    for (Interactions in : new Interactions[] {train, valid, test}) {
      if (in.size() == 0) {
        continue;
      }
      out = out == null ? in : Interactions.concat(out, in);
    }
    return out == null ? train : out;
  }

  /** Binary user&times;item matrix of the training rows (positive labels only for CTR data). */
  public CsrMatrix trainMatrix() {
    CsrMatrix m = trainMatrix;
    if (m == null) {
      synchronized (this) {
        m = trainMatrix;
        if (m == null) {
          m = train.toUserItemMatrix(numUsers(), numItems());
          trainMatrix = m;
        }
      }
    }
    return m;
  }

  /** Binary matrix of the rows of {@code s}. */
  public CsrMatrix matrix(Split s) {
    return s == Split.TRAIN ? trainMatrix() : split(s).toUserItemMatrix(numUsers(), numItems());
  }

  /**
   * SHA-256 (hex, first 16 chars) over the ids and all split rows: identifies the exact data a model was
   * trained on, independent of file layout.
   */
  public String contentHash() {
    String h = hash;
    if (h == null) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String u : users.ids()) {
          md.update(u.getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
        }
        md.update((byte) 1);
        for (String i : items.ids()) {
          md.update(i.getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
        }
        for (Interactions in : new Interactions[] {train, valid, test}) {
          md.update((byte) 2);
          byte[] buf = new byte[8];
          for (int r = 0; r < in.size(); r++) {
            int u = in.user(r);
            int i = in.item(r);
            buf[0] = (byte) (u >>> 24);
            buf[1] = (byte) (u >>> 16);
            buf[2] = (byte) (u >>> 8);
            buf[3] = (byte) u;
            buf[4] = (byte) (i >>> 24);
            buf[5] = (byte) (i >>> 16);
            buf[6] = (byte) (i >>> 8);
            buf[7] = (byte) i;
            md.update(buf);
            if (in.hasLabels()) {
              md.update((byte) (in.label(r) > 0 ? 1 : 0));
            }
          }
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : md.digest()) {
          sb.append(String.format("%02x", b));
        }
        h = sb.substring(0, 16);
        hash = h;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return h;
  }

  @Override
  public String toString() {
    return String.format("Dataset[%s: %d users, %d items, train %d, valid %d, test %d, %s]", name,
        numUsers(), numItems(), train.size(), valid.size(), test.size(), protocol);
  }
}
