package io.cliprec.core.io;

import java.nio.file.Path;

/**
 * Bad input: names the file, the 1-based line (0 when not line-specific) and the field at fault.
 * Message form: {@code path:line: field 'name': what is wrong}.
 */
public class DataFormatException extends RuntimeException {
  private final Path file;
  private final long line;
  private final String field;

  public DataFormatException(Path file, long line, String field, String message) {
    super(format(file, line, field, message));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  public DataFormatException(Path file, long line, String field, String message, Throwable cause) {
    super(format(file, line, field, message), cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String format(Path file, long line, String field, String message) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<input>" : file.toString());
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (field != null) {
      sb.append("field '").append(field).append("': ");
    }
    sb.append(message);
    return sb.toString();
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when not applicable. */
  public long line() {
    return line;
  }

  /** Field (column) name or null. */
  public String field() {
    return field;
  }
}
