package io.cliprec.encode.reindex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.IdIndex;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureReindexerTest {
  @TempDir Path enc;

  /** An encode output: 3 items a, b, c; views title, brand, categories (2-d); text = row index. */
  @BeforeEach
  void encodeOutput() throws Exception {
    new ItemFeatures(Map.of("text", new FloatMatrix(3, 1, new float[] {0, 1, 2})), Map.of()).write(enc);
    Files.writeString(enc.resolve("item_ids.txt"), "a\nb\nc\n");
    Files.writeString(enc.resolve("views.txt"), "title\nbrand\ncategories\n");
    float[] v = new float[3 * 3 * 2];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 3; i++) {
        v[(k * 3 + i) * 2] = 10 * k + i;
        v[(k * 3 + i) * 2 + 1] = -(10 * k + i);
      }
    }
    Npy.write(enc.resolve("text_views.npy"), new int[] {3, 3, 2}, v);
  }

  @Test
  void permutesRowsExportsViewsAndAveragesGroups() {
    IdIndex target = IdIndex.of(List.of("z", "x"));
    ItemFeatures f = FeatureReindexer.reindex(enc, target, Map.of("x", "a", "z", "c"), List.of("title"),
        Map.of("meta", List.of("brand", "categories")));
    assertEquals(List.of("text", "text.title", "text.meta"), List.copyOf(f.names()));
    assertArrayEquals(new float[] {2, 0}, f.get("text").data());
    assertArrayEquals(new float[] {2, -2, 0, 0}, f.get("text.title").data());
    // meta of c = (12 + 22) / 2, of a = (10 + 20) / 2
    assertArrayEquals(new float[] {17, -17, 15, -15}, f.get("text.meta").data());
  }

  @Test
  void sameIdsWithoutMapAndMissingItemsFail() {
    ItemFeatures f = FeatureReindexer.reindex(enc, IdIndex.of(List.of("b", "a", "c")), null, List.of(),
        Map.of());
    assertArrayEquals(new float[] {1, 0, 2}, f.get("text").data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureReindexer.reindex(enc, IdIndex.of(List.of("a", "q")), null, List.of(), Map.of()));
    assertTrue(e.getMessage().startsWith("1 of 2 dataset items have no row"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FeatureReindexer.reindex(enc, IdIndex.of(List.of("a")), null, List.of("price"), Map.of()));
    assertTrue(e.getMessage().contains("no view 'price'"), e.getMessage());
  }
}
