package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.split.Splitter;
import io.cliprec.core.split.Splitters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Entry point for reading datasets: finds {@link DatasetReader}s by name (ServiceLoader), detects the
 * format of a path, reads it and applies the configured split.
 *
 * <p>Options used here (besides each reader's own): {@code split} ({@code given | loo | ratio |
 * temporal}; default: {@code given} for pre-split sources, the reader's {@code split.default} meta
 * (usually {@code ratio}) for whole-data files), {@code split.seed} / {@code seed}, {@code split.ratio},
 * {@code split.min_rows} (see {@link Splitters}), and {@code protocol} ({@code mmrec | loo | ctr}) to
 * override the evaluation protocol.
 */
public final class DatasetFormats {
  private static volatile Map<String, DatasetReader> readers;

  private DatasetFormats() {}

  private static Map<String, DatasetReader> readers() {
    Map<String, DatasetReader> r = readers;
    if (r == null) {
      synchronized (DatasetFormats.class) {
        r = readers;
        if (r == null) {
          r = new LinkedHashMap<>();
          for (DatasetReader d : ServiceLoader.load(DatasetReader.class,
              DatasetFormats.class.getClassLoader())) {
            if (r.putIfAbsent(d.name(), d) != null) {
              throw new IllegalStateException("two dataset readers named '" + d.name() + "'");
            }
          }
          r = Collections.unmodifiableMap(r);
          readers = r;
        }
      }
    }
    return r;
  }

  /** Names of all registered formats, in registration order. */
  public static List<String> names() {
    return new ArrayList<>(readers().keySet());
  }

  /** The reader of format {@code name}; unknown names fail listing the known ones. */
  public static DatasetReader reader(String name) {
    DatasetReader r = readers().get(name.trim().toLowerCase(Locale.ROOT));
    if (r == null) {
      throw new IllegalArgumentException("unknown dataset format '" + name + "'; known: " + names());
    }
    return r;
  }

  /**
   * Formats whose {@link DatasetReader#detect} accepts {@code path}: the specific formats that match,
   * or, when none does, the matching fallback formats (csv).
   */
  public static List<String> detect(Path path) {
    List<String> specific = new ArrayList<>();
    List<String> fallback = new ArrayList<>();
    for (DatasetReader r : readers().values()) {
      if (r.detect(path)) {
        (r.fallback() ? fallback : specific).add(r.name());
      }
    }
    return specific.isEmpty() ? fallback : specific;
  }

  /** The reader for {@code path}: the named one, or the single detected one (clear errors otherwise). */
  public static DatasetReader resolve(Path path, String formatOrNull) {
    if (!Files.exists(path)) {
      throw new DataFormatException(path, 0, null, "no such file or directory");
    }
    if (formatOrNull != null && !formatOrNull.isBlank()) {
      return reader(formatOrNull);
    }
    List<String> found = detect(path);
    if (found.size() == 1) {
      return reader(found.get(0));
    }
    if (found.isEmpty()) {
      StringBuilder sb = new StringBuilder("unrecognised dataset format; known formats:");
      for (DatasetReader r : readers().values()) {
        sb.append("\n  ").append(r.name()).append(": ").append(r.description());
      }
      sb.append("\npass the format explicitly (--format / format=NAME)");
      throw new DataFormatException(path, 0, null, sb.toString());
    }
    throw new DataFormatException(path, 0, null, "ambiguous dataset: matches formats " + found
        + "; pass the format explicitly (--format / format=NAME) or point at one file");
  }

  /** Reads {@code path} without applying any splitter (whole-data files have every row in train). */
  public static Dataset readRaw(Path path, String formatOrNull, Config options) {
    Config o = options == null ? Config.empty() : options;
    return resolve(path, formatOrNull).read(path, o);
  }

  /**
   * Reads {@code path} in format {@code formatOrNull} (detected when null), then applies the split
   * named by option {@code split} (see class doc) and the optional {@code protocol} override.
   */
  public static Dataset read(Path path, String formatOrNull, Config options) {
    Config o = options == null ? Config.empty() : options;
    Dataset d = readRaw(path, formatOrNull, o);
    String state = d.meta().get("split");
    String def = "none".equals(state) ? d.meta().getOrDefault("split.default", "ratio") : "given";
    Splitter s = Splitters.fromConfig(o, def);
    Dataset out = s.split(d, Splitters.seed(o));
    String p = o.getString("protocol", null);
    if (p != null) {
      out = out.withProtocol(protocol(p));
    }
    return out;
  }

  /** Parses a protocol name: {@code mmrec}, {@code loo} / {@code leave_one_out}, {@code ctr}. */
  public static Protocol protocol(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "mmrec":
        return Protocol.MMREC;
      case "loo":
      case "leave_one_out":
        return Protocol.LEAVE_ONE_OUT;
      case "ctr":
        return Protocol.CTR;
      default:
        throw new IllegalArgumentException("unknown protocol '" + name + "' (mmrec, loo, ctr)");
    }
  }
}
