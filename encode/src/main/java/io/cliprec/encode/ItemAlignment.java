package io.cliprec.encode;

import io.cliprec.core.data.IdIndex;
import io.cliprec.encode.catalog.CatalogItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Row order of the outputs. Without a dataset: catalog order. With a dataset: row r = dataset item r; the
 * catalog item is found by exact id, else by numeric id ignoring leading zeros ({@code 0108775015} =
 * {@code 108775015}, as H&amp;M ids appear both ways). Dataset items absent from the catalog get row
 * {@code -1} (filled by the missing-item policy); catalog items absent from the dataset are dropped.
 */
public final class ItemAlignment {
  /** {@code catalogIndex[r]} = index into the catalog list of row r, or -1. */
  public final int[] catalogIndex;
  /** External id of each row. */
  public final List<String> ids;
  /** Rows with no catalog item. */
  public final int missing;
  /** Catalog items not used (not in the dataset). */
  public final int dropped;

  private ItemAlignment(int[] catalogIndex, List<String> ids, int missing, int dropped) {
    this.catalogIndex = catalogIndex;
    this.ids = ids;
    this.missing = missing;
    this.dropped = dropped;
  }

  /** Catalog order. */
  public static ItemAlignment catalogOrder(List<CatalogItem> items) {
    int[] idx = new int[items.size()];
    String[] ids = new String[items.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
      ids[i] = items.get(i).id();
    }
    return new ItemAlignment(idx, List.of(ids), 0, 0);
  }

  /** Dataset item order. */
  public static ItemAlignment toDataset(List<CatalogItem> items, IdIndex datasetItems) {
    Map<String, Integer> exact = new HashMap<>();
    Map<String, Integer> numeric = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String id = items.get(i).id();
      exact.putIfAbsent(id, i);
      String n = numericKey(id);
      if (n != null) {
        numeric.putIfAbsent(n, i);
      }
    }
    int n = datasetItems.size();
    int[] idx = new int[n];
    boolean[] used = new boolean[items.size()];
    int missing = 0;
    for (int r = 0; r < n; r++) {
      String id = datasetItems.id(r);
      Integer c = exact.get(id);
      if (c == null) {
        String k = numericKey(id);
        c = k == null ? null : numeric.get(k);
      }
      if (c == null) {
        idx[r] = -1;
        missing++;
      } else {
        idx[r] = c;
        used[c] = true;
      }
    }
    int dropped = 0;
    for (boolean u : used) {
      dropped += u ? 0 : 1;
    }
    return new ItemAlignment(idx, datasetItems.ids(), missing, dropped);
  }

  private static String numericKey(String id) {
    if (id.isEmpty() || id.length() > 30) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return null;
      }
    }
    String s = id.replaceFirst("^0+(?=.)", "");
    return s;
  }

  public int rows() {
    return catalogIndex.length;
  }
}
