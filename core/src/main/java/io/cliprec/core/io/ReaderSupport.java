package io.cliprec.core.io;

import io.cliprec.core.data.IdIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Small shared helpers of the built-in readers. */
final class ReaderSupport {
  private ReaderSupport() {}

  static Map<String, String> meta(String format, Path source, String split) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("source", source.toAbsolutePath().normalize().toString());
    m.put("split", split);
    return m;
  }

  /** Regular files directly in {@code dir}, sorted by name; empty when {@code dir} is not a directory. */
  static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      s.filter(Files::isRegularFile).sorted().forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static String fileName(Path p) {
    Path f = p.getFileName();
    return f == null ? p.toString() : f.toString();
  }

  /** Name without its last extension ({@code baby.inter} &rarr; {@code baby}). */
  static String stem(Path p) {
    String n = fileName(p);
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** Fails when the file is missing, fails with "empty file" when it has no non-blank line. */
  static TextLines openNonEmpty(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, null, Files.exists(file) ? "not a regular file" : "file not found");
    }
    TextLines t = TextLines.open(file);
    if (!t.next()) {
      throw new DataFormatException(file, 0, null, "empty file");
    }
    return t;
  }

  /**
   * Replaces each raw numeric id in {@code raw[0..n)} by its rank among the distinct ids (ascending
   * numeric order) and returns the distinct ids in ascending order.
   */
  static int[] rankInPlace(int[] raw, int n) {
    int max = -1;
    for (int k = 0; k < n; k++) {
      max = Math.max(max, raw[k]);
    }
    if (max < 4L * n + 1_000_000L) {
      boolean[] seen = new boolean[max + 1];
      for (int k = 0; k < n; k++) {
        seen[raw[k]] = true;
      }
      int[] rank = new int[max + 1];
      int d = 0;
      for (int v = 0; v <= max; v++) {
        if (seen[v]) {
          rank[v] = d++;
        }
      }
      int[] distinct = new int[d];
      for (int v = 0; v <= max; v++) {
        if (seen[v]) {
          distinct[rank[v]] = v;
        }
      }
      for (int k = 0; k < n; k++) {
        raw[k] = rank[raw[k]];
      }
      return distinct;
    }
    int[] sorted = Arrays.copyOf(raw, n);
    Arrays.sort(sorted);
    int d = 0;
    for (int k = 0; k < n; k++) {
      if (k == 0 || sorted[k] != sorted[k - 1]) {
        sorted[d++] = sorted[k];
      }
    }
    int[] distinct = Arrays.copyOf(sorted, d);
    for (int k = 0; k < n; k++) {
      raw[k] = Arrays.binarySearch(distinct, raw[k]);
    }
    return distinct;
  }

  /** An {@link IdIndex} over numeric ids in the given order (decimal strings). */
  static IdIndex numericIndex(int[] ids) {
    List<String> s = new ArrayList<>(ids.length);
    for (int v : ids) {
      s.add(Integer.toString(v));
    }
    return IdIndex.of(s);
  }
}
