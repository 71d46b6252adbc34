package io.cliprec.encode.catalog;

import java.util.Collections;
import java.util.Map;

/**
 * One catalog entry: external id, text fields (already flattened to strings; absent = missing), an optional
 * image reference (a path, absolute or relative to the catalog file, or a URL) and the 1-based source line.
 */
public final class CatalogItem {
  private final String id;
  private final Map<String, String> fields;
  private final String imageRef;
  private final long line;

  public CatalogItem(String id, Map<String, String> fields, String imageRef, long line) {
    this.id = id;
    this.fields = Collections.unmodifiableMap(fields);
    this.imageRef = imageRef;
    this.line = line;
  }

  public String id() {
    return id;
  }

  public Map<String, String> fields() {
    return fields;
  }

  /** Image path or URL from the catalog, or null. */
  public String imageRef() {
    return imageRef;
  }

  public long line() {
    return line;
  }

  @Override
  public String toString() {
    return "CatalogItem[" + id + ", " + fields.keySet() + "]";
  }
}
