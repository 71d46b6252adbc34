package io.cliprec.encode.reindex;

import io.cliprec.core.io.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives an item id map between two numberings of the same interaction sequences.
 *
 * <p>Both files are sequence files ({@code user item item ...} per line, time order, the {@code seq}
 * format). They must list the same users, in the same order and with the same user ids, each with a
 * sequence of the same length; item ids are paired position by position. The pairing must be a bijection:
 * an item of one file paired with two different items of the other (the files do not hold the same
 * interactions in the same order, e.g. ties in time ordered differently) is an error naming the file and
 * line, never a guess. Example: {@code Beauty.cpmm.txt} (CPMM's ids, which CPMM's CF and CTR files use) and
 * {@code Beauty.s3rec.txt} (S3-Rec's ids, those of {@code beauty_items.jsonl}'s {@code s3rec_id}).
 */
public final class SequenceAlignment {
  private SequenceAlignment() {}

  /**
   * @param from the sequence file whose item ids the map's values use (e.g. the encoded catalog's ids)
   * @param to the sequence file whose item ids the map's keys use (the dataset to align features to)
   * @return {@code to} item id &rarr; {@code from} item id, in order of first appearance in {@code to};
   *     one entry per distinct item of {@code to}
   * @throws DataFormatException naming the {@code to} file and line where the files disagree
   */
  public static Map<String, String> align(Path from, Path to) {
    List<Line> a = read(from);
    List<Line> b = read(to);
    if (a.size() != b.size()) {
      throw new DataFormatException(to, 0, null, b.size() + " sequences, but " + from + " has " + a.size()
          + ": not the same interactions");
    }
    Map<String, String> toFrom = new LinkedHashMap<>();
    Map<String, String> fromTo = new HashMap<>();
    for (int l = 0; l < b.size(); l++) {
      String[] x = a.get(l).tokens();
      String[] y = b.get(l).tokens();
      long line = b.get(l).number();
      long fromLine = a.get(l).number();
      if (!x[0].equals(y[0])) {
        throw new DataFormatException(to, line, "user", "user '" + y[0] + "' but " + from + " line "
            + fromLine + " has user '" + x[0] + "': the files must list the same users in the same order");
      }
      if (x.length != y.length) {
        throw new DataFormatException(to, line, "items", (y.length - 1) + " items but " + from + " line "
            + fromLine + " has " + (x.length - 1));
      }
      for (int p = 1; p < y.length; p++) {
        String prevFrom = toFrom.putIfAbsent(y[p], x[p]);
        if (prevFrom != null && !prevFrom.equals(x[p])) {
          throw new DataFormatException(to, line, "item", "ambiguous alignment: item '" + y[p]
              + "' pairs with both '" + prevFrom + "' and '" + x[p] + "' of " + from);
        }
        String prevTo = fromTo.putIfAbsent(x[p], y[p]);
        if (prevTo != null && !prevTo.equals(y[p])) {
          throw new DataFormatException(to, line, "item", "ambiguous alignment: items '" + prevTo
              + "' and '" + y[p] + "' both pair with '" + x[p] + "' of " + from);
        }
      }
    }
    return toFrom;
  }

  /** One non-blank line: its 1-based number in the file and its whitespace-separated tokens. */
  private record Line(long number, String[] tokens) {}

  /** Non-blank lines split on whitespace; every line needs a user and at least one item. */
  private static List<Line> read(Path file) {
    List<Line> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String s;
      long line = 0;
      while ((s = r.readLine()) != null) {
        line++;
        s = s.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] t = s.split("\\s+");
        if (t.length < 2) {
          throw new DataFormatException(file, line, "items", "a sequence line needs a user and items");
        }
        out.add(new Line(line, t));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }
}
