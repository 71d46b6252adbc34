package io.cliprec.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Fast line/field scanner over a whole text file held in memory as UTF-8 bytes. No regular expressions:
 * fields are located by byte offsets and numbers are parsed straight from the bytes, so a 160k-row file
 * parses in tens of milliseconds. Lines end with {@code \n} or {@code \r\n}; a UTF-8 BOM is skipped;
 * blank lines are skipped (they still count for line numbers). Delimiters must be ASCII.
 *
 * <p>Typical use: {@code while (t.next()) { int n = t.split('\t'); int u = t.intField(0, "userID"); }}.
 * Every parse error is a {@link DataFormatException} naming the file, the 1-based line and the field.
 */
public final class TextLines {
  /** Split mode: runs of spaces and tabs separate fields. */
  public static final char WHITESPACE = 0;

  private final Path file;
  private final byte[] buf;
  private int pos;
  private int lineStart;
  private int lineEnd;
  private long lineNo;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int count;

  private TextLines(Path file, byte[] buf) {
    this.file = file;
    this.buf = buf;
    if (buf.length >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
      pos = 3;
    }
  }

  /** Reads {@code file} fully; a missing or unreadable file is a {@link DataFormatException}. */
  public static TextLines open(Path file) {
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 16) {
        throw new DataFormatException(file, 0, null, "file larger than 2 GiB is not supported");
      }
      return new TextLines(file, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** For tests and in-memory content. */
  public static TextLines of(Path nameForErrors, String content) {
    return new TextLines(nameForErrors, content.getBytes(StandardCharsets.UTF_8));
  }

  /** First non-blank line of {@code file} (without line terminator), or null if there is none. */
  public static String firstLine(Path file) {
    byte[] head = new byte[8192];
    int n;
    try (var in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return null;
    }
    TextLines t = new TextLines(file, Arrays.copyOf(head, n));
    return t.next() ? t.line() : null;
  }

  public Path file() {
    return file;
  }

  /** Advances to the next non-blank line; false at end of file. */
  public boolean next() {
    while (pos < buf.length) {
      lineNo++;
      int s = pos;
      int e = s;
      while (e < buf.length && buf[e] != '\n') {
        e++;
      }
      pos = e + 1;
      int end = e;
      if (end > s && buf[end - 1] == '\r') {
        end--;
      }
      boolean blank = true;
      for (int k = s; k < end; k++) {
        if (buf[k] != ' ' && buf[k] != '\t') {
          blank = false;
          break;
        }
      }
      if (!blank) {
        lineStart = s;
        lineEnd = end;
        count = 0;
        return true;
      }
    }
    return false;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNo;
  }

  /** The current line as a string. */
  public String line() {
    return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
  }

  /**
   * Splits the current line on {@code delim} ({@link #WHITESPACE}: runs of blanks). With {@code quotes}
   * a field wholly enclosed in double quotes may contain the delimiter ({@code ""} is a literal quote).
   *
   * @return the number of fields
   */
  public int split(char delim) {
    return split(delim, false);
  }

  public int split(char delim, boolean quotes) {
    count = 0;
    int s = lineStart;
    int e = lineEnd;
    if (delim == WHITESPACE) {
      int k = s;
      while (k < e) {
        while (k < e && (buf[k] == ' ' || buf[k] == '\t')) {
          k++;
        }
        if (k >= e) {
          break;
        }
        int fs = k;
        while (k < e && buf[k] != ' ' && buf[k] != '\t') {
          k++;
        }
        add(fs, k);
      }
      return count;
    }
    byte d = (byte) delim;
    int fs = s;
    int k = s;
    while (true) {
      if (quotes && k == fs && k < e && buf[k] == '"') {
        int q = k + 1;
        while (q < e) {
          if (buf[q] == '"') {
            if (q + 1 < e && buf[q + 1] == '"') {
              q += 2;
              continue;
            }
            break;
          }
          q++;
        }
        if (q >= e) {
          throw new DataFormatException(file, lineNo, null, "unterminated quoted field");
        }
        k = q + 1;
        continue;
      }
      if (k >= e || buf[k] == d) {
        add(fs, k);
        if (k >= e) {
          break;
        }
        k++;
        fs = k;
        continue;
      }
      k++;
    }
    return count;
  }

  private void add(int s, int e) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = s;
    ends[count] = e;
    count++;
  }

  /** Number of fields found by the last {@link #split}. */
  public int count() {
    return count;
  }

  /** Field {@code k} as a string, surrounding blanks trimmed, enclosing double quotes removed. */
  public String field(int k) {
    int s = starts[k];
    int e = ends[k];
    while (s < e && (buf[s] == ' ' || buf[s] == '\t')) {
      s++;
    }
    while (e > s && (buf[e - 1] == ' ' || buf[e - 1] == '\t')) {
      e--;
    }
    if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
      return new String(buf, s + 1, e - s - 2, StandardCharsets.UTF_8).replace("\"\"", "\"");
    }
    return new String(buf, s, e - s, StandardCharsets.UTF_8);
  }

  /** Whether field {@code k} is empty (after trimming blanks). */
  public boolean isEmpty(int k) {
    for (int i = starts[k]; i < ends[k]; i++) {
      if (buf[i] != ' ' && buf[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Field {@code k} as a non-negative int id; {@code name} names the field in errors. */
  public int idField(int k, String name) {
    long v = longField(k, name);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new DataFormatException(file, lineNo, name,
          "id must be a non-negative integer, got '" + field(k) + "'");
    }
    return (int) v;
  }

  /** Field {@code k} as an int. */
  public int intField(int k, String name) {
    long v = longField(k, name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new DataFormatException(file, lineNo, name, "integer out of range: '" + field(k) + "'");
    }
    return (int) v;
  }

  /** Field {@code k} as a long (decimal digits, optional sign; surrounding blanks allowed). */
  public long longField(int k, String name) {
    int s = starts[k];
    int e = ends[k];
    while (s < e && buf[s] == ' ') {
      s++;
    }
    while (e > s && buf[e - 1] == ' ') {
      e--;
    }
    boolean neg = false;
    if (s < e && (buf[s] == '-' || buf[s] == '+')) {
      neg = buf[s] == '-';
      s++;
    }
    if (s >= e || e - s > 18) {
      throw notInteger(k, name);
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        throw notInteger(k, name);
      }
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  private DataFormatException notInteger(int k, String name) {
    return new DataFormatException(file, lineNo, name, "expected an integer, got '" + field(k) + "'");
  }

  /** Whether field {@code k} is a plain (optionally signed) decimal integer. */
  public boolean isInteger(int k) {
    int s = starts[k];
    int e = ends[k];
    if (s < e && (buf[s] == '-' || buf[s] == '+')) {
      s++;
    }
    if (s >= e || e - s > 18) {
      return false;
    }
    for (int i = s; i < e; i++) {
      if (buf[i] < '0' || buf[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** Field {@code k} as a double (integers parsed without allocation). */
  public double doubleField(int k, String name) {
    if (isInteger(k)) {
      return longField(k, name);
    }
    String f = field(k);
    try {
      return Double.parseDouble(f);
    } catch (NumberFormatException ex) {
      throw new DataFormatException(file, lineNo, name, "expected a number, got '" + f + "'");
    }
  }

  public float floatField(int k, String name) {
    return (float) doubleField(k, name);
  }

  /**
   * Field {@code k} as a timestamp in seconds: an integer or decimal number (truncated), an ISO date
   * ({@code 2014-04-01}, midnight UTC), an ISO local date-time (UTC) or an ISO offset date-time.
   */
  public long timeField(int k, String name) {
    if (isInteger(k)) {
      return longField(k, name);
    }
    int s = starts[k];
    int e = ends[k];
    while (s < e && buf[s] == ' ') {
      s++;
    }
    while (e > s && buf[e - 1] == ' ') {
      e--;
    }
    if (e - s == 10 && buf[s + 4] == '-' && buf[s + 7] == '-' && digits(s, 4) && digits(s + 5, 2)
        && digits(s + 8, 2)) {
      int y = num(s, 4);
      int m = num(s + 5, 2);
      int d = num(s + 8, 2);
      if (m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        try {
          return LocalDate.of(y, m, d).toEpochDay() * 86400L;
        } catch (java.time.DateTimeException ex) {
          throw new DataFormatException(file, lineNo, name, "invalid date '" + field(k) + "'");
        }
      }
    }
    String f = field(k);
    if (looksNumeric(f)) {
      try {
        return (long) Double.parseDouble(f);
      } catch (NumberFormatException ignored) {
        // not a number after all
      }
    }
    try {
      if (f.endsWith("Z") || f.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(f).toEpochSecond();
      }
      if (f.length() == 10) {
        return LocalDate.parse(f).toEpochDay() * 86400L;
      }
      return LocalDateTime.parse(f.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException ex) {
      throw new DataFormatException(file, lineNo, name,
          "expected a timestamp (seconds or ISO date/time), got '" + f + "'");
    }
  }

  private boolean digits(int s, int n) {
    for (int i = s; i < s + n; i++) {
      if (buf[i] < '0' || buf[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private int num(int s, int n) {
    int v = 0;
    for (int i = s; i < s + n; i++) {
      v = v * 10 + (buf[i] - '0');
    }
    return v;
  }

  private static boolean looksNumeric(String f) {
    if (f.isEmpty()) {
      return false;
    }
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

}
