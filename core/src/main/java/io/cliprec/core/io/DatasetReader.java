package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import java.nio.file.Path;

/**
 * Reads one on-disk dataset format into a {@link Dataset}. Implementations are looked up by
 * {@link #name()} through {@link java.util.ServiceLoader} ({@code META-INF/services}); use
 * {@link DatasetFormats} rather than instances directly.
 *
 * <p>Contract: a reader returns either a pre-split dataset (meta {@code split=given}, or {@code loo} for
 * sequence files split on reading) or, for whole-data files, all rows in {@code train} with empty
 * valid/test and meta {@code split=none} plus {@code split.default} naming the splitter to apply.
 * Meta always has {@code format} and {@code source}. Bad input throws {@link DataFormatException}.
 */
public interface DatasetReader {
  /** Short unique format name, e.g. {@code mmrec}. */
  String name();

  /** One-line human description (shown when detection fails and in {@code --help}). */
  String description();

  /** Cheap check (reads at most a file's first line) whether {@code path} looks like this format. */
  boolean detect(Path path);

  /**
   * Reads {@code path} (a file or a directory, as the format allows).
   *
   * @param options reader options (format-specific keys are documented on each reader); never null
   */
  Dataset read(Path path, Config options);

  /**
   * Whether this is a catch-all format (plain CSV) that auto-detection only picks when no specific
   * format matches.
   */
  default boolean fallback() {
    return false;
  }
}
