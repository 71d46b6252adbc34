package io.cliprec.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticShopTest {
  @Test
  void sameSeedSameShopOtherSeedOtherShop() {
    Dataset a = SyntheticShop.generate(200, 100, 12, 7).dataset();
    Dataset b = SyntheticShop.generate(200, 100, 12, 7).dataset();
    Dataset c = SyntheticShop.generate(200, 100, 12, 8).dataset();
    assertEquals(a.contentHash(), b.contentHash());
    assertNotEquals(a.contentHash(), c.contentHash());
  }

  @Test
  void everyUserHasTrainValidAndTestRowsAndCatalogFields() {
    SyntheticShop shop = SyntheticShop.generate(300, 150, 15, 1);
    Dataset d = shop.dataset();
    assertEquals(300, d.numUsers());
    assertEquals(150, d.numItems());
    for (int u = 0; u < d.numUsers(); u++) {
      assertTrue(d.trainMatrix().rowLength(u) >= 3, "user " + u);
    }
    assertEquals(300, d.matrix(io.cliprec.core.data.Split.TEST).indptr().length - 1);
    assertTrue(d.valid().size() >= 300 && d.test().size() >= 300);
    assertTrue(shop.catalog().get(0).get("title").length() > 10);
  }

  @Test
  void preferencesMakeCategoryCoPurchaseFrequent() {
    // users have two favourite categories: a random pair of one user's items shares a category far more
    // often than 1/12 (the rate under no preference)
    SyntheticShop shop = SyntheticShop.generate(400, 300, 20, 3);
    Dataset d = shop.dataset();
    List<java.util.Map<String, String>> cat = shop.catalog();
    int same = 0;
    int pairs = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      int[] items = d.trainMatrix().row(u);
      for (int i = 1; i < items.length; i++) {
        pairs++;
        if (cat.get(items[i]).get("categories").equals(cat.get(items[i - 1]).get("categories"))) {
          same++;
        }
      }
    }
    assertTrue(same / (double) pairs > 0.25, "same-category rate " + same / (double) pairs);
  }

  @Test
  void writesMmrecInterAndCatalog(@TempDir Path dir) throws Exception {
    SyntheticShop shop = SyntheticShop.generate(50, 40, 8, 2);
    shop.write(dir);
    List<String> lines = Files.readAllLines(dir.resolve("shop.inter"));
    assertEquals("userID\titemID\trating\ttimestamp\tx_label", lines.get(0));
    Dataset d = shop.dataset();
    assertEquals(d.train().size() + d.valid().size() + d.test().size() + 1, lines.size());
    assertEquals(41, Files.readAllLines(dir.resolve("shop_items.tsv")).size());
  }
}
