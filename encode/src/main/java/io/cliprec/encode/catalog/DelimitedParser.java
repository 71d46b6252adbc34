package io.cliprec.encode.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams records of a delimited file. With quoting (CSV, RFC 4180) fields may be wrapped in double quotes,
 * contain the separator, newlines and doubled quotes; without quoting (TSV, RecBole) a line is a record
 * split on the separator.
 */
final class DelimitedParser {
  /** Unterminated quote etc., with the 1-based line where the record started. */
  static final class ParseError extends RuntimeException {
    final long line;

    ParseError(long line, String msg) {
      super(msg);
      this.line = line;
    }
  }

  private final BufferedReader in;
  private final char sep;
  private final boolean quoted;
  private long line;
  private long recordLine;

  DelimitedParser(BufferedReader in, char sep, boolean quoted) {
    this.in = in;
    this.sep = sep;
    this.quoted = quoted;
  }

  /** 1-based line where the last record returned by {@link #next()} started. */
  long recordLine() {
    return recordLine;
  }

  /** The next record, or null at end of input. */
  List<String> next() throws IOException {
    String l = in.readLine();
    if (l == null) {
      return null;
    }
    line++;
    recordLine = line;
    List<String> out = new ArrayList<>();
    if (!quoted) {
      int start = 0;
      for (int i = 0; i <= l.length(); i++) {
        if (i == l.length() || l.charAt(i) == sep) {
          out.add(l.substring(start, i));
          start = i + 1;
        }
      }
      return out;
    }
    StringBuilder f = new StringBuilder();
    boolean inQ = false;
    int i = 0;
    while (true) {
      if (i >= l.length()) {
        if (inQ) {
          String more = in.readLine();
          if (more == null) {
            throw new ParseError(recordLine, "unterminated quoted field");
          }
          line++;
          f.append('\n');
          l = more;
          i = 0;
          continue;
        }
        out.add(f.toString());
        return out;
      }
      char c = l.charAt(i++);
      if (inQ) {
        if (c == '"') {
          if (i < l.length() && l.charAt(i) == '"') {
            f.append('"');
            i++;
          } else {
            inQ = false;
          }
        } else {
          f.append(c);
        }
      } else if (c == '"' && f.length() == 0) {
        inQ = true;
      } else if (c == sep) {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
  }
}
