package io.cliprec.encode.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits one catalog text field into several view fields ({@code cliprec encode --split-field
 * text=title,categories,brand [--split-separator ". "]}), for catalogs that joined their fields into one
 * string, e.g. the RecBole {@code Scientific.text} "title. categories. brand." column.
 *
 * <p>The value is trimmed and one trailing separator (trimmed, e.g. {@code "."}) removed, then split
 * <em>from the right</em> into at most {@code parts.size()} pieces, so separators inside the first part
 * (a title with "Inc. " in it) stay in the first part. With fewer pieces than parts, the first piece goes
 * to the first part and the others to the last parts (the parts in between are missing). Pieces are
 * trimmed; an empty piece is a missing field (the view gets the "Missing." filler). The source field is
 * replaced by the parts, in the text-field list and in every item.
 *
 * @param field the source field
 * @param parts the new field names, in view order (at least 2, distinct)
 * @param separator the separator between parts (non-empty)
 */
public record FieldSplit(String field, List<String> parts, String separator) {
  public static final String DEFAULT_SEPARATOR = ". ";

  public FieldSplit {
    if (field == null || field.isBlank() || parts.size() < 2 || separator == null || separator.isEmpty()
        || parts.stream().distinct().count() != parts.size() || parts.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("--split-field needs FIELD=a,b[,c...] (two or more distinct names)"
          + " and a non-empty --split-separator, got " + field + "=" + parts + ", separator '" + separator + "'");
    }
    parts = List.copyOf(parts);
  }

  /** Parses {@code FIELD=a,b,c}. */
  public static FieldSplit parse(String spec, String separator) {
    int eq = spec == null ? -1 : spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--split-field must be FIELD=a,b,..., got '" + spec + "'");
    }
    List<String> parts = new ArrayList<>();
    for (String p : spec.substring(eq + 1).split(",")) {
      parts.add(p.trim());
    }
    return new FieldSplit(spec.substring(0, eq).trim(), parts,
        separator == null ? DEFAULT_SEPARATOR : separator);
  }

  /** The pieces of one value, one per part (null = missing). */
  public List<String> split(String value) {
    int n = parts.size();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(null);
    }
    if (value == null) {
      return out;
    }
    String v = value.strip();
    String tail = separator.strip();
    if (!tail.isEmpty() && v.endsWith(tail)) {
      v = v.substring(0, v.length() - tail.length());
    }
    List<String> pieces = new ArrayList<>();
    int end = v.length();
    while (pieces.size() < n - 1) {
      int at = v.lastIndexOf(separator, end - separator.length());
      if (at < 0 || end - separator.length() < 0) {
        break;
      }
      pieces.add(0, v.substring(at + separator.length(), end));
      end = at;
    }
    pieces.add(0, v.substring(0, end));
    out.set(0, clean(pieces.get(0)));
    for (int t = 1; t < pieces.size(); t++) {
      out.set(n - pieces.size() + t, clean(pieces.get(t)));
    }
    return out;
  }

  private static String clean(String s) {
    String t = s.strip();
    return t.isEmpty() ? null : t;
  }

  /** The text fields with {@link #field} replaced by {@link #parts}. */
  public List<String> apply(List<String> textFields) {
    if (!textFields.contains(field)) {
      throw new IllegalArgumentException("--split-field " + field + ": not one of the text fields " + textFields);
    }
    List<String> out = new ArrayList<>();
    for (String f : textFields) {
      if (f.equals(field)) {
        out.addAll(parts);
      } else if (parts.contains(f)) {
        throw new IllegalArgumentException("--split-field part '" + f + "' is already a text field");
      } else {
        out.add(f);
      }
    }
    return out;
  }

  /** A copy of {@code item} with {@link #field} replaced by the parts. */
  public CatalogItem apply(CatalogItem item) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : item.fields().entrySet()) {
      if (!e.getKey().equals(field)) {
        m.put(e.getKey(), e.getValue());
      }
    }
    List<String> pieces = split(item.fields().get(field));
    for (int i = 0; i < parts.size(); i++) {
      if (pieces.get(i) != null) {
        m.put(parts.get(i), pieces.get(i));
      }
    }
    return new CatalogItem(item.id(), m, item.imageRef(), item.line());
  }

  /** The catalog with every item and the text-field list split. */
  public CatalogReader.Result apply(CatalogReader.Result r) {
    List<CatalogItem> items = new ArrayList<>(r.items().size());
    for (CatalogItem it : r.items()) {
      items.add(apply(it));
    }
    return new CatalogReader.Result(items, r.duplicates(), apply(r.textFields()), r.idField());
  }
}
