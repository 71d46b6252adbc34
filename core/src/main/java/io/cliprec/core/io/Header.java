package io.cliprec.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Column names of a header line: rejects empty and duplicate names, finds required columns. */
final class Header {
  private final Path file;
  private final long line;
  private final List<String> names;
  private final Map<String, Integer> index = new HashMap<>();

  private Header(Path file, long line, List<String> names) {
    this.file = file;
    this.line = line;
    this.names = names;
    for (int k = 0; k < names.size(); k++) {
      String n = names.get(k);
      if (n.isEmpty()) {
        throw new DataFormatException(file, line, "column " + (k + 1), "empty header column name");
      }
      if (index.putIfAbsent(n, k) != null) {
        throw new DataFormatException(file, line, n, "duplicate header column");
      }
    }
  }

  static Header of(Path file, long line, List<String> names) {
    return new Header(file, line, new ArrayList<>(names));
  }

  /** The header on the current line of {@code t}, split on {@code delim}. */
  static Header parse(TextLines t, char delim) {
    int n = t.split(delim, delim == ',' || delim == ';');
    List<String> names = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      names.add(t.field(k));
    }
    return new Header(t.file(), t.lineNumber(), names);
  }

  int size() {
    return names.size();
  }

  List<String> names() {
    return Collections.unmodifiableList(names);
  }

  String name(int k) {
    return names.get(k);
  }

  /** Column of {@code name}, or -1. */
  int index(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** First present column among {@code candidates}, or -1. */
  int firstOf(List<String> candidates) {
    for (String c : candidates) {
      int i = index(c);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Column of {@code name}; a missing column is a {@link DataFormatException} listing the header. */
  int require(String name) {
    int i = index(name);
    if (i < 0) {
      throw new DataFormatException(file, line, name, "missing header column (header is " + names + ")");
    }
    return i;
  }

  /** A header-level error (line of the header) about {@code field}. */
  DataFormatException error(String field, String message) {
    return new DataFormatException(file, line, field, message + " (header is " + names + ")");
  }

  /** Fails with the expected/actual field count of the current line. */
  static DataFormatException wrongCount(TextLines t, int expected, int got, Header h) {
    String field = got < expected ? h.name(got) : "column " + (expected + 1);
    return new DataFormatException(t.file(), t.lineNumber(), field,
        "expected " + expected + " fields " + h.names + ", got " + got);
  }
}
