package io.cliprec.encode.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cliprec.core.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdMapTest {
  @Test
  void renamesMappedIdsAndKeepsTheOthers(@TempDir Path tmp) throws Exception {
    Path cat = tmp.resolve("Sci.text");
    Files.writeString(cat, "item_id:token\ttext:token_seq\nB01\tone\nB02\ttwo\nB03\tthree\n");
    Path map = tmp.resolve("Sci.item2index");
    Files.writeString(map, "B02\t0\nB01  1\n\n");
    IdMap m = IdMap.read(map);
    assertEquals(2, m.size());
    CatalogReader.Result r = m.apply(CatalogReader.read(cat, null, new CatalogSpec(null, List.of("text"), null)));
    assertEquals(List.of("1", "0", "B03"), r.items().stream().map(CatalogItem::id).toList());
    assertEquals("two", r.items().get(1).fields().get("text"));
    Files.writeString(map, "B02\t0\nB02\t1\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdMap.read(map));
    assertEquals(2L, e.line());
    Files.writeString(map, "B02\n");
    assertThrows(DataFormatException.class, () -> IdMap.read(map));
  }
}
