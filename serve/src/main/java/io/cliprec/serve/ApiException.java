package io.cliprec.serve;

/**
 * A request that cannot be answered, with the HTTP status and a stable machine-readable code
 * ({@code unknown_user}, {@code bad_parameter}, ...) that the server puts in its JSON error body.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** HTTP status (400, 404, 413, 501, ...). */
  public int status() {
    return status;
  }

  /** Machine-readable error code. */
  public String code() {
    return code;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }
}
