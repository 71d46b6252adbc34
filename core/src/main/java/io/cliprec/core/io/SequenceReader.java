package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sequence text files of S3-Rec / CPMM ({@code Beauty.s3rec.txt}, {@code Tools.cpmm.txt}): one user per
 * line, {@code user item item ...} separated by blanks, items in time order, numeric item ids.
 *
 * <p>Indices: users in line order (external id = the first token, kept as a string); items by ascending
 * numeric id, so item index = rank of the id (1-based contiguous ids give index = id - 1); external item
 * ids are the decimal strings. Timestamps are the 0-based position in the user's sequence.
 *
 * <p>Split on reading, leave-one-out: last item test, second last valid, the rest train. Users with
 * fewer than 3 items keep at least one training item (RecBole's rule): 2 items = 1 train + 1 test,
 * 1 item = train only. Meta {@code split=loo}. Protocol {@link Protocol#LEAVE_ONE_OUT}.
 */
public final class SequenceReader implements DatasetReader {
  public static final String NAME = "seq";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sequence .txt (one line per user: user item item ..., time order; leave-one-out)";
  }

  @Override
  public boolean detect(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    String n = ReaderSupport.fileName(path);
    if (n.endsWith(".csv") || n.endsWith(".tsv") || n.endsWith(".inter") || n.endsWith(".json")
        || n.endsWith(".jsonl")) {
      return false;
    }
    String first = TextLines.firstLine(path);
    if (first == null) {
      return false;
    }
    String[] tok = first.trim().split("[ \t]+");
    if (tok.length < 2) {
      return false;
    }
    for (String s : tok) {
      if (!s.chars().allMatch(Character::isDigit)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Dataset read(Path path, Config options) {
    if (Files.isDirectory(path)) {
      throw new DataFormatException(path, 0, null,
          "the seq format needs the sequence file itself (e.g. Beauty.s3rec.txt), not a directory");
    }
    TextLines t = ReaderSupport.openNonEmpty(path);
    RowBuffer rows = new RowBuffer(false, true, false);
    IdIndex.Builder users = IdIndex.builder();
    do {
      int n = t.split(TextLines.WHITESPACE);
      String uid = t.field(0);
      if (n < 2) {
        throw new DataFormatException(path, t.lineNumber(), "items",
            "sequence line of user '" + uid + "' has no items");
      }
      if (users.indexOf(uid) >= 0) {
        throw new DataFormatException(path, t.lineNumber(), "user",
            "user '" + uid + "' already had a line (one line per user expected)");
      }
      int u = users.add(uid);
      int len = n - 1;
      for (int p = 0; p < len; p++) {
        int raw = t.idField(p + 1, "item");
        byte split = splitOf(p, len);
        rows.add(u, raw, 0f, p, 0f, split);
      }
    } while (t.next());
    int[] raw = new int[rows.size()];
    for (int k = 0; k < raw.length; k++) {
      raw[k] = rows.item(k);
    }
    int[] ids = ReaderSupport.rankInPlace(raw, raw.length);
    for (int k = 0; k < raw.length; k++) {
      rows.setItem(k, raw[k]);
    }
    Map<String, String> meta = ReaderSupport.meta(NAME, path, "loo");
    return new Dataset(ReaderSupport.stem(path), users.build(), ReaderSupport.numericIndex(ids),
        rows.part(Split.TRAIN, false, false), rows.part(Split.VALID, false, false),
        rows.part(Split.TEST, false, false), Protocol.LEAVE_ONE_OUT, meta);
  }

  /**
   * Leave-one-out split code of position {@code p} in a sequence of {@code len} items: last = test,
   * second last = valid, rest = train, always keeping at least one training item.
   */
  static byte splitOf(int p, int len) {
    int held = Math.min(2, len - 1);
    int firstHeld = len - held;
    if (p < firstHeld) {
      return 0;
    }
    return (byte) (held == 2 ? 1 + (p - firstHeld) : 2);
  }
}
