package io.cliprec.encode.clip;

/** An image that could not be used (missing file, unsupported format, corrupt data), with the reason. */
public final class ImageFailure {
  public final int item;
  public final String source;
  public final String reason;

  public ImageFailure(int item, String source, String reason) {
    this.item = item;
    this.source = source;
    this.reason = reason;
  }

  @Override
  public String toString() {
    return "item " + item + " (" + source + "): " + reason;
  }
}
