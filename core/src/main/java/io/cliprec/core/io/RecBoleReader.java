package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.ItemAttributes;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RecBole atomic files: tab-separated, header {@code name:type} (types {@code token}, {@code token_seq},
 * {@code float}, {@code float_seq}; {@code *_seq} values are space-separated).
 *
 * <p>Accepted layouts (path = a file or its directory):
 * <ul>
 *   <li>{@code <name>.inter}: the whole data; all rows go to train with meta {@code split=none},
 *       {@code split.default=ratio} (RecBole's default 8:1:1 per-user random split; see
 *       {@link io.cliprec.core.split.Splitters}). Protocol {@link Protocol#MMREC}.
 *   <li>{@code <name>.{train,valid,test}.inter} with user/item columns: pre-split, {@code split=given},
 *       protocol {@link Protocol#MMREC}.
 *   <li>the same triple in RecBole's sequential form {@code user_id item_id_list:token_seq item_id}:
 *       each row is (prefix, next item). Each user's training sequence is rebuilt from the prefixes and
 *       targets (position of a target = length of its prefix; prefixes are assumed untruncated);
 *       valid/test rows are their targets. Timestamps = position in the user's sequence.
 *       {@code split=given}, protocol {@link Protocol#LEAVE_ONE_OUT}.
 * </ul>
 *
 * <p>Ids: when {@code <name>.item2index} / {@code <name>.user2index} exist ({@code external-id TAB
 * index}, no header), they define the indices, so item rows align with feature files built on that
 * index (e.g. {@code Scientific.feat1CLS}); the external ids are the mapped ids (ASINs) and
 * {@code .inter} tokens may be either the external id or the index number. Otherwise ids are indexed in
 * order of first appearance over the train, valid, test files (RecBole's remapping without its
 * {@code [PAD]} slot 0).
 *
 * <p>Item attributes: every column but the item id of {@code <name>.item} and {@code <name>.text} is
 * attached as {@link ItemAttributes} (string values) for items in the index; other rows are counted in
 * meta {@code item.attributes.unmatched}. {@code .user} files are not read.
 *
 * <p>Options: {@code recbole.user_field} (default {@code user_id}), {@code recbole.item_field}
 * ({@code item_id}), {@code recbole.rating_field} ({@code rating}), {@code recbole.time_field}
 * ({@code timestamp}), {@code recbole.label_field} ({@code label}), {@code recbole.list_suffix}
 * ({@code _list}), {@code recbole.index_files} (default true: use the {@code *2index} files).
 */
public final class RecBoleReader implements DatasetReader {
  public static final String NAME = "recbole";
  private static final String[] PARTS = {"train", "valid", "test"};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "RecBole atomic files (<name>.inter or <name>.{train,valid,test}.inter, header name:type)";
  }

  static boolean isAtomicInter(Path f) {
    if (!Files.isRegularFile(f) || !ReaderSupport.fileName(f).endsWith(".inter")) {
      return false;
    }
    String first = TextLines.firstLine(f);
    if (first == null) {
      return false;
    }
    for (String c : first.trim().split("\t")) {
      if (c.indexOf(':') <= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean detect(Path path) {
    if (Files.isDirectory(path)) {
      for (Path f : ReaderSupport.files(path)) {
        if (isAtomicInter(f)) {
          return true;
        }
      }
      return false;
    }
    return isAtomicInter(path);
  }

  /** Resolved layout: directory, stem and whether it is the pre-split triple. */
  private static final class Layout {
    Path dir;
    String stem;
    boolean presplit;
  }

  private static Layout resolve(Path path) {
    Layout l = new Layout();
    if (Files.isDirectory(path)) {
      List<String> split = new ArrayList<>();
      List<String> whole = new ArrayList<>();
      for (Path f : ReaderSupport.files(path)) {
        if (!isAtomicInter(f)) {
          continue;
        }
        String n = ReaderSupport.fileName(f);
        String base = n.substring(0, n.length() - ".inter".length());
        if (base.endsWith(".train")) {
          split.add(base.substring(0, base.length() - ".train".length()));
        } else if (!base.endsWith(".valid") && !base.endsWith(".test")) {
          whole.add(base);
        }
      }
      l.dir = path;
      if (split.size() == 1) {
        l.stem = split.get(0);
        l.presplit = true;
      } else if (split.isEmpty() && whole.size() == 1) {
        l.stem = whole.get(0);
      } else if (split.isEmpty() && whole.isEmpty()) {
        throw new DataFormatException(path, 0, null,
            "no RecBole .inter file (header of name:type columns) in this directory");
      } else {
        throw new DataFormatException(path, 0, null, "directory holds several RecBole datasets (split "
            + split + ", whole " + whole + "): pass the .inter file instead");
      }
      return l;
    }
    String n = ReaderSupport.fileName(path);
    if (!n.endsWith(".inter")) {
      throw new DataFormatException(path, 0, null, "a RecBole interaction file ends with .inter");
    }
    l.dir = path.toAbsolutePath().getParent();
    String base = n.substring(0, n.length() - ".inter".length());
    for (String p : PARTS) {
      if (base.endsWith("." + p)) {
        l.stem = base.substring(0, base.length() - p.length() - 1);
        l.presplit = true;
        return l;
      }
    }
    l.stem = base;
    return l;
  }

  /** Maps tokens to dense indices, either fixed by a {@code *2index} file or grown on first use. */
  private static final class Ids {
    final IdIndex fixed;
    final IdIndex.Builder grow;

    Ids(IdIndex fixed) {
      this.fixed = fixed;
      this.grow = fixed == null ? IdIndex.builder() : null;
    }

    int get(String token, TextLines t, String field) {
      if (fixed == null) {
        return grow.add(token);
      }
      int i = fixed.index(token);
      if (i >= 0) {
        return i;
      }
      if (!token.isEmpty() && token.chars().allMatch(Character::isDigit) && token.length() < 10) {
        int v = Integer.parseInt(token);
        if (v < fixed.size()) {
          return v;
        }
      }
      throw new DataFormatException(t.file(), t.lineNumber(), field,
          "id '" + token + "' is neither in the index file nor an index below " + fixed.size());
    }

    /** Index of a token for attribute joins: -1 when unknown (never grows). */
    int lookup(String token) {
      if (fixed != null) {
        return fixed.index(token);
      }
      return grow.indexOf(token);
    }

    IdIndex build() {
      return fixed != null ? fixed : grow.build();
    }
  }

  /** Reads an {@code id TAB index} file into an IdIndex in index order (no gaps, no duplicates). */
  static IdIndex readIndexFile(Path f) {
    TextLines t = ReaderSupport.openNonEmpty(f);
    List<String> ids = new ArrayList<>();
    List<Integer> idx = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    do {
      int n = t.split('\t');
      if (n != 2) {
        throw new DataFormatException(f, t.lineNumber(), "index", "expected 'id<TAB>index', got " + n
            + " fields");
      }
      ids.add(t.field(0));
      idx.add(t.idField(1, "index"));
      lines.add(t.lineNumber());
    } while (t.next());
    String[] byIndex = new String[ids.size()];
    for (int k = 0; k < ids.size(); k++) {
      int i = idx.get(k);
      if (i >= byIndex.length || byIndex[i] != null) {
        throw new DataFormatException(f, lines.get(k), "index", "index " + i + " is duplicated or outside 0.."
            + (byIndex.length - 1) + " (indices must be 0..n-1, each once)");
      }
      byIndex[i] = ids.get(k);
    }
    try {
      return IdIndex.of(Arrays.asList(byIndex));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(f, 0, "id", e.getMessage());
    }
  }

  /** Column names and types of an atomic header. */
  private static final class Atomic {
    final Header header;
    final String[] types;

    Atomic(TextLines t) {
      int n = t.split('\t');
      List<String> names = new ArrayList<>();
      types = new String[n];
      for (int k = 0; k < n; k++) {
        String c = t.field(k);
        int colon = c.lastIndexOf(':');
        if (colon <= 0) {
          throw new DataFormatException(t.file(), t.lineNumber(), c.isEmpty() ? "column " + (k + 1) : c,
              "RecBole header columns are name:type");
        }
        String type = c.substring(colon + 1);
        if (!type.equals("token") && !type.equals("token_seq") && !type.equals("float")
            && !type.equals("float_seq")) {
          throw new DataFormatException(t.file(), t.lineNumber(), c,
              "unknown RecBole type '" + type + "' (token, token_seq, float, float_seq)");
        }
        names.add(c.substring(0, colon));
        types[k] = type;
      }
      header = Header.of(t.file(), t.lineNumber(), names);
    }
  }

  @Override
  public Dataset read(Path path, Config options) {
    Layout l = resolve(path);
    String userField = options.getString("recbole.user_field", "user_id");
    String itemField = options.getString("recbole.item_field", "item_id");
    String listField = itemField + options.getString("recbole.list_suffix", "_list");
    boolean useIndex = options.getBoolean("recbole.index_files", true);
    Path i2i = l.dir.resolve(l.stem + ".item2index");
    Path u2i = l.dir.resolve(l.stem + ".user2index");
    Ids items = new Ids(useIndex && Files.isRegularFile(i2i) ? readIndexFile(i2i) : null);
    Ids users = new Ids(useIndex && Files.isRegularFile(u2i) ? readIndexFile(u2i) : null);

    Path[] files = l.presplit
        ? new Path[] {l.dir.resolve(l.stem + ".train.inter"), l.dir.resolve(l.stem + ".valid.inter"),
            l.dir.resolve(l.stem + ".test.inter")}
        : new Path[] {l.dir.resolve(l.stem + ".inter")};
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new DataFormatException(f, 0, null, "missing file of the RecBole dataset '" + l.stem + "'");
      }
    }
    // Peek at the first header to pick the plain or the sequential form.
    String firstLine = TextLines.firstLine(files[0]);
    boolean sequential = firstLine != null
        && Arrays.asList(firstLine.trim().split("\t")).contains(listField + ":token_seq");
    Dataset d;
    Map<String, String> meta = ReaderSupport.meta(NAME, files[0], l.presplit ? "given" : "none");
    if (sequential) {
      if (!l.presplit) {
        throw new DataFormatException(files[0], 1, listField,
            "the sequential (" + listField + ") form is only supported pre-split as "
                + l.stem + ".{train,valid,test}.inter");
      }
      d = readSequential(l.stem, files, userField, itemField, listField, users, items, meta);
    } else {
      d = readPlain(l.stem, files, options, userField, itemField, users, items, meta, l.presplit);
    }
    if (items.fixed != null) {
      meta.put("item.index", i2i.toAbsolutePath().normalize().toString());
    }
    ItemAttributes attrs = readAttributes(l, itemField, items, d.numItems(), meta);
    return new Dataset(d.name(), d.users(), d.items(), d.train(), d.valid(), d.test(), d.protocol(),
        meta, attrs);
  }

  private Dataset readPlain(String stem, Path[] files, Config options, String userField,
      String itemField, Ids users, Ids items, Map<String, String> meta, boolean presplit) {
    String ratingField = options.getString("recbole.rating_field", "rating");
    String timeField = options.getString("recbole.time_field", "timestamp");
    String labelField = options.getString("recbole.label_field", "label");
    RowBuffer rows = null;
    boolean hasR = false;
    boolean hasT = false;
    boolean hasL = false;
    for (int part = 0; part < files.length; part++) {
      TextLines t = ReaderSupport.openNonEmpty(files[part]);
      Header h = new Atomic(t).header;
      int cu = h.require(userField);
      int ci = h.require(itemField);
      int cr = h.index(ratingField);
      int ct = h.index(timeField);
      int cl = h.index(labelField);
      if (rows == null) {
        hasR = cr >= 0;
        hasT = ct >= 0;
        hasL = cl >= 0;
        rows = new RowBuffer(hasR, hasT, hasL);
      } else if (hasR != cr >= 0 || hasT != ct >= 0 || hasL != cl >= 0) {
        throw new DataFormatException(files[part], 1, null,
            "columns differ from " + ReaderSupport.fileName(files[0]) + " (rating/timestamp/label)");
      }
      int ncol = h.size();
      byte code = presplit ? (byte) part : RowBuffer.NONE;
      while (t.next()) {
        int n = t.split('\t');
        if (n != ncol) {
          throw Header.wrongCount(t, ncol, n, h);
        }
        int u = users.get(t.field(cu), t, userField);
        int i = items.get(t.field(ci), t, itemField);
        float r = hasR ? t.floatField(cr, ratingField) : 0f;
        long ts = hasT ? t.timeField(ct, timeField) : 0L;
        float lab = hasL ? t.floatField(cl, labelField) : 0f;
        rows.add(u, i, r, ts, lab, code);
      }
    }
    if (rows.size() == 0) {
      throw new DataFormatException(files[0], 0, null, "no interaction rows");
    }
    if (!presplit) {
      meta.put("split.default", "ratio");
    }
    return new Dataset(stem, users.build(), items.build(), rows.part(Split.TRAIN, false, false),
        rows.part(Split.VALID, false, false), rows.part(Split.TEST, false, false),
        hasL ? Protocol.CTR : Protocol.MMREC, meta);
  }

  private Dataset readSequential(String stem, Path[] files, String userField, String itemField,
      String listField, Ids users, Ids items, Map<String, String> meta) {
    List<int[]> trainSeq = new ArrayList<>();
    RowBuffer held = new RowBuffer(false, true, false);
    for (int part = 0; part < 3; part++) {
      TextLines t = ReaderSupport.openNonEmpty(files[part]);
      Header h = new Atomic(t).header;
      int cu = h.require(userField);
      int ci = h.require(itemField);
      int cs = h.require(listField);
      int ncol = h.size();
      while (t.next()) {
        int n = t.split('\t');
        if (n != ncol) {
          throw Header.wrongCount(t, ncol, n, h);
        }
        int u = users.get(t.field(cu), t, userField);
        int target = items.get(t.field(ci), t, itemField);
        String[] prefix = tokens(t.field(cs));
        int len = prefix.length;
        if (part > 0) {
          held.add(u, target, 0f, len, 0f, (byte) part);
          continue;
        }
        while (trainSeq.size() <= u) {
          trainSeq.add(null);
        }
        int[] seq = trainSeq.get(u);
        if (seq == null || seq.length < len + 1) {
          int[] grown = new int[Math.max(len + 1, seq == null ? 0 : seq.length)];
          Arrays.fill(grown, -1);
          if (seq != null) {
            System.arraycopy(seq, 0, grown, 0, seq.length);
          }
          seq = grown;
          trainSeq.set(u, seq);
        }
        for (int p = 0; p <= len; p++) {
          int it = p < len ? items.get(prefix[p], t, listField) : target;
          if (seq[p] >= 0 && seq[p] != it) {
            throw new DataFormatException(t.file(), t.lineNumber(), listField, "position " + p
                + " of user '" + t.field(cu) + "' disagrees with an earlier training row");
          }
          seq[p] = it;
        }
      }
    }
    RowBuffer rows = new RowBuffer(false, true, false);
    for (int u = 0; u < trainSeq.size(); u++) {
      int[] seq = trainSeq.get(u);
      if (seq == null) {
        continue;
      }
      for (int p = 0; p < seq.length; p++) {
        if (seq[p] < 0) {
          throw new DataFormatException(files[0], 0, listField,
              "training sequence of user index " + u + " has no item at position " + p);
        }
        rows.add(u, seq[p], 0f, p, 0f, (byte) 0);
      }
    }
    for (int k = 0; k < held.size(); k++) {
      rows.add(held.user(k), held.item(k), 0f, held.time(k), 0f, held.split(k));
    }
    if (rows.size() == 0) {
      throw new DataFormatException(files[0], 0, null, "no interaction rows");
    }
    meta.put("sequential", "true");
    return new Dataset(stem, users.build(), items.build(), rows.part(Split.TRAIN, false, false),
        rows.part(Split.VALID, false, false), rows.part(Split.TEST, false, false),
        Protocol.LEAVE_ONE_OUT, meta);
  }

  /** Space-separated tokens of a {@code token_seq} value (no regex). */
  static String[] tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int st = i;
      while (i < n && s.charAt(i) != ' ') {
        i++;
      }
      if (i > st) {
        out.add(s.substring(st, i));
      }
    }
    return out.toArray(new String[0]);
  }

  private ItemAttributes readAttributes(Layout l, String itemField, Ids items, int numItems,
      Map<String, String> meta) {
    ItemAttributes.Builder b = ItemAttributes.builder(numItems);
    boolean any = false;
    int unmatched = 0;
    for (String ext : new String[] {".item", ".text"}) {
      Path f = l.dir.resolve(l.stem + ext);
      if (!Files.isRegularFile(f)) {
        continue;
      }
      TextLines t = ReaderSupport.openNonEmpty(f);
      Header h = new Atomic(t).header;
      int ci = h.require(itemField);
      int ncol = h.size();
      for (int k = 0; k < ncol; k++) {
        if (k != ci) {
          b.field(h.name(k));
        }
      }
      any = true;
      while (t.next()) {
        int n = t.split('\t');
        if (n != ncol) {
          throw Header.wrongCount(t, ncol, n, h);
        }
        int item = items.lookup(t.field(ci));
        if (item < 0) {
          unmatched++;
          continue;
        }
        for (int k = 0; k < ncol; k++) {
          if (k != ci && !t.isEmpty(k)) {
            b.set(item, h.name(k), t.field(k));
          }
        }
      }
      meta.put("item.attributes" + ext, f.toAbsolutePath().normalize().toString());
    }
    if (!any) {
      return ItemAttributes.empty();
    }
    meta.put("item.attributes.unmatched", Integer.toString(unmatched));
    return b.build();
  }
}
