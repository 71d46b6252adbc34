package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain delimited text with a header row: the generic fallback format. The delimiter is the most
 * frequent of tab, comma and semicolon in the header (override: {@code csv.delimiter} = {@code tab},
 * {@code comma}, {@code semicolon} or the character). Comma/semicolon files may quote fields with
 * double quotes (no line breaks inside quotes).
 *
 * <p>Columns (options; the first name present in the header wins when not set):
 * <ul>
 *   <li>{@code user.col}: user_id | user | userID | userId | customer_id (required)
 *   <li>{@code item.col}: item_id | item | itemID | itemId | article_id | movieId (required)
 *   <li>{@code rating.col}: rating | score; {@code time.col}: timestamp | time | t_dat | date
 *   <li>{@code label.col}: label | click (0/1; makes the protocol {@link Protocol#CTR})
 *   <li>{@code split.col}: split | x_label; values 0/1/2 or train/valid(val, validation)/test
 * </ul>
 * External ids are kept as strings, indexed in order of first appearance. Times may be numbers
 * (seconds) or ISO dates/date-times. Without a split column all rows are train, meta {@code split=none},
 * {@code split.default=ratio}.
 */
public final class CsvReader implements DatasetReader {
  public static final String NAME = "csv";
  static final List<String> USER = List.of("user_id", "user", "userID", "userId", "customer_id");
  static final List<String> ITEM =
      List.of("item_id", "item", "itemID", "itemId", "article_id", "movieId");
  static final List<String> RATING = List.of("rating", "score");
  static final List<String> TIME = List.of("timestamp", "time", "t_dat", "date");
  static final List<String> LABEL = List.of("label", "click");
  static final List<String> SPLIT = List.of("split", "x_label");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean fallback() {
    return true;
  }

  @Override
  public String description() {
    return "plain CSV/TSV with a header (columns: user.col, item.col, rating.col, time.col, "
        + "label.col, split.col)";
  }

  /** The most frequent of tab, comma, semicolon in {@code header} (tab wins ties). */
  static char sniff(String header) {
    int tabs = 0;
    int commas = 0;
    int semis = 0;
    for (int k = 0; k < header.length(); k++) {
      char c = header.charAt(k);
      if (c == '\t') {
        tabs++;
      } else if (c == ',') {
        commas++;
      } else if (c == ';') {
        semis++;
      }
    }
    if (tabs >= commas && tabs >= semis && tabs > 0) {
      return '\t';
    }
    if (commas >= semis && commas > 0) {
      return ',';
    }
    return semis > 0 ? ';' : '\t';
  }

  static char delimiter(Config options, String header) {
    String d = options.getString("csv.delimiter", null);
    if (d == null) {
      return sniff(header);
    }
    switch (d.toLowerCase(Locale.ROOT)) {
      case "tab":
      case "\\t":
      case "\t":
        return '\t';
      case "comma":
      case ",":
        return ',';
      case "semicolon":
      case ";":
        return ';';
      default:
        if (d.length() == 1 && d.charAt(0) < 128) {
          return d.charAt(0);
        }
        throw new IllegalArgumentException("csv.delimiter must be tab, comma, semicolon or one ASCII "
            + "character, got '" + d + "'");
    }
  }

  @Override
  public boolean detect(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    String n = ReaderSupport.fileName(path).toLowerCase(Locale.ROOT);
    if (!(n.endsWith(".csv") || n.endsWith(".tsv") || n.endsWith(".txt") || n.endsWith(".inter"))) {
      return false;
    }
    String first = TextLines.firstLine(path);
    if (first == null) {
      return false;
    }
    char d = sniff(first);
    List<String> cols = List.of(first.trim().split(d == '\t' ? "\t" : String.valueOf(d)));
    return USER.stream().anyMatch(cols::contains) && ITEM.stream().anyMatch(cols::contains);
  }

  private static int column(Header h, Config options, String key, List<String> defaults,
      boolean required) {
    String named = options.getString(key, null);
    if (named != null) {
      return h.require(named);
    }
    int c = h.firstOf(defaults);
    if (c < 0 && required) {
      throw h.error(key, "missing header column: none of " + defaults + "; name it with " + key);
    }
    return c;
  }

  @Override
  public Dataset read(Path path, Config options) {
    if (Files.isDirectory(path)) {
      throw new DataFormatException(path, 0, null, "the csv format needs a file, not a directory");
    }
    TextLines t = ReaderSupport.openNonEmpty(path);
    char d = delimiter(options, t.line());
    boolean quotes = d != '\t';
    Header h = Header.parse(t, d);
    int cu = column(h, options, "user.col", USER, true);
    int ci = column(h, options, "item.col", ITEM, true);
    int cr = column(h, options, "rating.col", RATING, false);
    int ct = column(h, options, "time.col", TIME, false);
    int cl = column(h, options, "label.col", LABEL, false);
    int cs = column(h, options, "split.col", SPLIT, false);
    String nu = h.name(cu);
    String ni = h.name(ci);
    int ncol = h.size();
    IdIndex.Builder users = IdIndex.builder();
    IdIndex.Builder items = IdIndex.builder();
    RowBuffer rows = new RowBuffer(cr >= 0, ct >= 0, cl >= 0);
    while (t.next()) {
      int n = t.split(d, quotes);
      if (n != ncol) {
        throw Header.wrongCount(t, ncol, n, h);
      }
      if (t.isEmpty(cu)) {
        throw new DataFormatException(path, t.lineNumber(), nu, "empty user id");
      }
      if (t.isEmpty(ci)) {
        throw new DataFormatException(path, t.lineNumber(), ni, "empty item id");
      }
      int u = users.add(t.field(cu));
      int i = items.add(t.field(ci));
      float r = cr >= 0 ? t.floatField(cr, h.name(cr)) : 0f;
      long ts = ct >= 0 ? t.timeField(ct, h.name(ct)) : 0L;
      float lab = cl >= 0 ? t.floatField(cl, h.name(cl)) : 0f;
      byte split = cs >= 0 ? splitCode(t, cs, h.name(cs)) : RowBuffer.NONE;
      rows.add(u, i, r, ts, lab, split);
    }
    if (rows.size() == 0) {
      throw new DataFormatException(path, t.lineNumber(), null, "no interaction rows after the header");
    }
    Map<String, String> meta = ReaderSupport.meta(NAME, path, cs >= 0 ? "given" : "none");
    if (cs < 0) {
      meta.put("split.default", "ratio");
    }
    return new Dataset(ReaderSupport.stem(path), users.build(), items.build(),
        rows.part(Split.TRAIN, false, false), rows.part(Split.VALID, false, false),
        rows.part(Split.TEST, false, false), cl >= 0 ? Protocol.CTR : Protocol.MMREC, meta);
  }

  static byte splitCode(TextLines t, int k, String name) {
    String v = t.field(k).toLowerCase(Locale.ROOT);
    switch (v) {
      case "0":
      case "train":
        return 0;
      case "1":
      case "valid":
      case "val":
      case "validation":
        return 1;
      case "2":
      case "test":
        return 2;
      default:
        throw new DataFormatException(t.file(), t.lineNumber(), name,
            "unknown split '" + t.field(k) + "' (expected 0/1/2 or train/valid/test)");
    }
  }
}
