package io.cliprec.encode.catalog;

import io.cliprec.core.io.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renames catalog ids before they are aligned to a dataset ({@code cliprec encode --id-map FILE}): a text
 * file of {@code catalog_id dataset_id} lines (tab or spaces), like RecBole/MMRec's
 * {@code Scientific.item2index} (ASIN &rarr; 0-based item index of the {@code .inter} files). Catalog ids
 * without a line keep their id (and are then reported as not in the dataset).
 */
public final class IdMap {
  private final Path file;
  private final Map<String, String> map;

  private IdMap(Path file, Map<String, String> map) {
    this.file = file;
    this.map = map;
  }

  /** Reads the file; blank lines are skipped; a line without two fields or a repeated id is an error. */
  public static IdMap read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --id-map " + file, e);
    }
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] f = l.split("\\s+");
      if (f.length != 2) {
        throw new DataFormatException(file, i + 1, null, "expected 'catalog_id dataset_id', got '" + l + "'");
      }
      if (m.put(f[0], f[1]) != null) {
        throw new DataFormatException(file, i + 1, null, "catalog id " + f[0] + " is mapped twice");
      }
    }
    return new IdMap(file, m);
  }

  public int size() {
    return map.size();
  }

  /** The catalog with every mapped id renamed. */
  public CatalogReader.Result apply(CatalogReader.Result r) {
    List<CatalogItem> items = new ArrayList<>(r.items().size());
    for (CatalogItem it : r.items()) {
      String to = map.get(it.id());
      items.add(to == null ? it : new CatalogItem(to, it.fields(), it.imageRef(), it.line()));
    }
    return new CatalogReader.Result(items, r.duplicates(), r.textFields(), r.idField());
  }

  @Override
  public String toString() {
    return "IdMap[" + file + ", " + map.size() + " ids]";
  }
}
