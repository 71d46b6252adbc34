package io.cliprec.encode.catalog;

import java.util.List;

/**
 * What to read from a catalog: the id field, the text fields (in view order) and an optional image field.
 * Null / empty values mean "the format's default" ({@link CatalogFormat}).
 */
public final class CatalogSpec {
  private final String idField;
  private final List<String> textFields;
  private final String imageField;

  public CatalogSpec(String idField, List<String> textFields, String imageField) {
    this.idField = idField;
    this.textFields = textFields == null ? List.of() : List.copyOf(textFields);
    this.imageField = imageField;
  }

  public String idField() {
    return idField;
  }

  public List<String> textFields() {
    return textFields;
  }

  public String imageField() {
    return imageField;
  }
}
