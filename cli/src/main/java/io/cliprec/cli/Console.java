package io.cliprec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Small output helpers: aligned tables, durations, peak memory. */
final class Console {
  private Console() {}

  /** Formats rows as an aligned plain-text table (first row = header). */
  static String table(List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] w = new int[cols];
    for (List<String> r : rows) {
      for (int c = 0; c < cols; c++) {
        w[c] = Math.max(w[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      for (int c = 0; c < cols; c++) {
        String cell = r.get(c);
        boolean numeric = i > 0 && c > 0 && cell.matches("[-0-9.,±% ]+");
        String pad = " ".repeat(w[c] - cell.length());
        sb.append(numeric ? pad + cell : cell + pad);
        sb.append(c + 1 < cols ? "  " : "");
      }
      sb.append('\n');
      if (i == 0) {
        for (int c = 0; c < cols; c++) {
          sb.append("-".repeat(w[c])).append(c + 1 < cols ? "  " : "");
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Markdown version of {@link #table}. */
  static String markdown(List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      sb.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        sb.append("|").append("---|".repeat(rows.get(0).size())).append('\n');
      }
    }
    return sb.toString();
  }

  static String f4(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String secs(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
  }

  /** Peak resident set size of this JVM in MiB (VmHWM), or -1 where /proc is unavailable. */
  static double peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
