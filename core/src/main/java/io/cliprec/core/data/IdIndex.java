package io.cliprec.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * External string ids &harr; dense 0-based int indices, in order of first appearance (or of an explicit
 * order). Immutable once built; one instance per entity type (users, items) of a {@link Dataset}.
 */
public final class IdIndex {
  private final List<String> ids;
  private final Map<String, Integer> index;

  private IdIndex(List<String> ids, Map<String, Integer> index) {
    this.ids = Collections.unmodifiableList(ids);
    this.index = index;
  }

  /** Number of distinct ids. */
  public int size() {
    return ids.size();
  }

  /** External id of dense index {@code idx}. */
  public String id(int idx) {
    return ids.get(idx);
  }

  /** Dense index of {@code id}, or -1 when the id is unknown. */
  public int index(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  /** Whether {@code id} is known. */
  public boolean contains(String id) {
    return index.containsKey(id);
  }

  /** All external ids in index order. */
  public List<String> ids() {
    return ids;
  }

  /** An index whose external ids are "0".."n-1" (datasets whose ids already are dense indices). */
  public static IdIndex identity(int n) {
    Builder b = new Builder();
    for (int i = 0; i < n; i++) {
      b.add(Integer.toString(i));
    }
    return b.build();
  }

  /** An index over the given ids in the given order; duplicates are rejected. */
  public static IdIndex of(List<String> ids) {
    Builder b = new Builder();
    for (String id : ids) {
      if (b.index.containsKey(id)) {
        throw new IllegalArgumentException("duplicate id '" + id + "'");
      }
      b.add(id);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Grows an index; {@link #add} returns the existing index for a known id. */
  public static final class Builder {
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    public int add(String id) {
      Integer i = index.get(id);
      if (i != null) {
        return i;
      }
      int n = ids.size();
      ids.add(id);
      index.put(id, n);
      return n;
    }

    /** Index of {@code id} if already added, else -1. */
    public int indexOf(String id) {
      Integer i = index.get(id);
      return i == null ? -1 : i;
    }

    public int size() {
      return ids.size();
    }

    public IdIndex build() {
      return new IdIndex(new ArrayList<>(ids), new HashMap<>(index));
    }
  }
}
