package io.cliprec.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cliprec.core.data.IdIndex;
import io.cliprec.encode.catalog.CatalogItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemAlignmentTest {
  @TempDir
  Path dir;

  static CatalogItem item(String id, String image) {
    return new CatalogItem(id, Map.of("t", id), image, 1);
  }

  @Test
  void exactThenNumericIgnoringLeadingZeros() {
    List<CatalogItem> cat = List.of(item("0108775015", null), item("B00X", null), item("7", null));
    ItemAlignment a = ItemAlignment.toDataset(cat, IdIndex.of(List.of("B00X", "108775015", "zzz", "007")));
    assertArrayEquals(new int[] {1, 0, -1, 2}, a.catalogIndex);
    assertEquals(1, a.missing);
    assertEquals(0, a.dropped);
    assertEquals(List.of("B00X", "108775015", "zzz", "007"), a.ids);
  }

  @Test
  void meanFillOnlyTouchesMissingRows() {
    float[] a = {1, 2, 0, 0, 3, 6};
    EncodePipeline.fillMissingWithMean(a, 3, 2, new boolean[] {true, false, true});
    assertArrayEquals(new float[] {1, 2, 2, 4, 3, 6}, a, 0f);
  }

  @Test
  void imageLocatorConventions() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    Files.write(images.resolve("0108775015.jpg"), new byte[] {1});
    Files.createDirectories(images.resolve("012"));
    Files.write(images.resolve("012/0123456789.png"), new byte[] {1});
    Files.write(images.resolve("A1.PNG"), new byte[] {1});
    Path catalog = dir.resolve("cat.jsonl");
    Files.write(dir.resolve("rel.jpg"), new byte[] {1});
    ImageLocator loc = new ImageLocator(images, catalog);
    assertEquals(images.resolve("0108775015.jpg"), loc.locate(item("108775015", null)).path);
    assertEquals(images.resolve("012/0123456789.png"), loc.locate(item("123456789", null)).path);
    assertEquals(images.resolve("A1.PNG"), loc.locate(item("A1", null)).path);
    assertNull(loc.locate(item("none", null)).path);
    // URL reference: not downloaded, falls back to the id, else a reason
    assertEquals(images.resolve("A1.PNG"), loc.locate(item("A1", "https://x/y.jpg")).path);
    ImageLocator.Found url = new ImageLocator(null, catalog).locate(item("A1", "https://x/y.jpg"));
    assertNull(url.path);
    assertEquals(true, url.reason.contains("URL"));
    // relative path column resolves against the catalog directory without --images
    assertEquals(dir.resolve("rel.jpg"), new ImageLocator(null, catalog).locate(item("x", "rel.jpg")).path);
  }
}
