package io.cliprec.serve.encode;

/**
 * The bundled encoder cannot be used: unknown type (HTTP 501) or a model file missing / changed since
 * the bundle was made (HTTP 503). The message says which file and what to do.
 */
public final class EncoderUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public EncoderUnavailableException(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  /** HTTP status the encode route answers with (501 or 503). */
  public int status() {
    return status;
  }

  /** Machine-readable error code. */
  public String code() {
    return code;
  }
}
