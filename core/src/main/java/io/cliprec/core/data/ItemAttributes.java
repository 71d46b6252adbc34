package io.cliprec.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free-text item attributes read with a dataset (RecBole {@code .item}/{@code .text} columns, CTR item
 * class, ...): item index &rarr; field &rarr; string. Immutable; a missing value is {@code null}. Row
 * {@code i} is the item of dense index {@code i} of the owning {@link Dataset}'s item {@link IdIndex}.
 * {@code token_seq} values are kept as their space-separated string.
 */
public final class ItemAttributes {
  private static final ItemAttributes EMPTY = new ItemAttributes(0, new LinkedHashMap<>());
  private final int numItems;
  private final Map<String, String[]> columns;

  private ItemAttributes(int numItems, Map<String, String[]> columns) {
    this.numItems = numItems;
    this.columns = columns;
  }

  /** No attributes at all (any number of items). */
  public static ItemAttributes empty() {
    return EMPTY;
  }

  public static Builder builder(int numItems) {
    return new Builder(numItems);
  }

  /** Whether there is no field. */
  public boolean isEmpty() {
    return columns.isEmpty();
  }

  /** Number of item rows (0 for {@link #empty()}). */
  public int numItems() {
    return numItems;
  }

  /** Field names in file order. */
  public List<String> fields() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  public boolean has(String field) {
    return columns.containsKey(field);
  }

  /** Value of {@code field} for item index {@code item}, or null when unknown / no such field. */
  public String get(int item, String field) {
    String[] col = columns.get(field);
    return col == null || item < 0 || item >= col.length ? null : col[item];
  }

  /** All known fields of one item, in field order (missing values omitted). */
  public Map<String, String> of(int item) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> e : columns.entrySet()) {
      String v = e.getValue()[item];
      if (v != null) {
        m.put(e.getKey(), v);
      }
    }
    return m;
  }

  /** A copy of one field's column: length {@link #numItems()}, nulls where unknown. */
  public String[] column(String field) {
    String[] col = columns.get(field);
    if (col == null) {
      throw new IllegalArgumentException("no item attribute '" + field + "'; known: " + columns.keySet());
    }
    return col.clone();
  }

  /** Number of items with a non-null value of {@code field}. */
  public int count(String field) {
    String[] col = columns.get(field);
    int n = 0;
    if (col != null) {
      for (String v : col) {
        if (v != null) {
          n++;
        }
      }
    }
    return n;
  }

  /** Fills columns; later {@link #set} calls for the same cell win. */
  public static final class Builder {
    private final int numItems;
    private final Map<String, String[]> columns = new LinkedHashMap<>();

    private Builder(int numItems) {
      this.numItems = numItems;
    }

    public Builder set(int item, String field, String value) {
      if (item < 0 || item >= numItems) {
        throw new IndexOutOfBoundsException("item " + item + " outside 0.." + (numItems - 1));
      }
      columns.computeIfAbsent(field, f -> new String[numItems])[item] = value;
      return this;
    }

    /** Declares a field even if no item has a value. */
    public Builder field(String field) {
      columns.computeIfAbsent(field, f -> new String[numItems]);
      return this;
    }

    public ItemAttributes build() {
      Map<String, String[]> copy = new LinkedHashMap<>();
      columns.forEach((k, v) -> copy.put(k, v.clone()));
      return new ItemAttributes(numItems, copy);
    }
  }
}
