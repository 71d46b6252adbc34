package io.cliprec.encode.text;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the files of an exported model directory. */
public final class ModelFiles {
  private ModelFiles() {}

  /** The first of {@code candidates} (relative to {@code dir}) that exists; otherwise a clear error. */
  public static Path find(Path dir, String... candidates) {
    for (String c : candidates) {
      Path p = dir.resolve(c);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException("model directory " + dir + " has none of " + String.join(", ", candidates));
  }

  /** The first existing candidate or null. */
  public static Path findOptional(Path dir, String... candidates) {
    for (String c : candidates) {
      Path p = dir.resolve(c);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
