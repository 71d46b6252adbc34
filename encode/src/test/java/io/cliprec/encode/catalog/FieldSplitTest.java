package io.cliprec.encode.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldSplitTest {
  private static final FieldSplit SCI = FieldSplit.parse("text=title,categories,brand", null);

  @Test
  void splitsFromTheRightKeepingSeparatorsInTheTitle() {
    assertEquals(List.of("Gorilla Glue, 8 ounce Bottle, Brown", "Industrial & Scientific Tapes", "Gorilla"),
        SCI.split("Gorilla Glue, 8 ounce Bottle, Brown. Industrial & Scientific Tapes. Gorilla. "));
    assertEquals(List.of("Kimwipes 4.4 x 8.4 in. 1-ply", "Lab Supplies", "Kimberly-Clark"),
        SCI.split("Kimwipes 4.4 x 8.4 in. 1-ply. Lab Supplies. Kimberly-Clark."));
    // empty categories ("title. . brand.") -> missing, not an empty prompt
    assertEquals(Arrays.asList("Trademaster Work Center", null, "Rubbermaid"),
        SCI.split("Trademaster Work Center. . Rubbermaid. "));
    // fewer pieces: first piece -> first part, the rest -> the last parts
    assertEquals(Arrays.asList("Just a title", null, "Acme"), SCI.split("Just a title. Acme."));
    assertEquals(Arrays.asList("Only title", null, null), SCI.split("Only title"));
    assertEquals(Arrays.asList(null, null, null), SCI.split(null));
    assertEquals(List.of("a", "b"), FieldSplit.parse("f=x,y", " | ").split("a | b"));
  }

  @Test
  void replacesTheFieldInItemsAndFieldList() {
    assertEquals(List.of("title", "categories", "brand", "description"),
        SCI.apply(List.of("text", "description")));
    CatalogItem it = SCI.apply(new CatalogItem("B1", Map.of("text", "T. C. B.", "description", "d"), null, 3));
    assertEquals(Map.of("title", "T", "categories", "C", "brand", "B", "description", "d"), it.fields());
    assertEquals(3, it.line());
    assertFalse(SCI.apply(new CatalogItem("B2", Map.of("text", "T. . B"), null, 4)).fields()
        .containsKey("categories"));
  }

  @Test
  void badSpecsNameTheOption() {
    for (String bad : new String[] {"text", "=a,b", "text=a", "text=a,a", "text=a,"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldSplit.parse(bad, null));
      assertTrue(e.getMessage().contains("--split-field"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> SCI.apply(List.of("title")));
    assertThrows(IllegalArgumentException.class, () -> SCI.apply(List.of("text", "brand")));
  }

  @Test
  void recboleTextCatalogSplitsIntoViews(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("Sci.text");
    Files.writeString(f, "item_id:token\ttext:token_seq\nA1\tGlue 8 oz. Adhesives. Gorilla. \n"
        + "A2\tCaulk. . DAP. \n");
    CatalogReader.Result r = SCI.apply(CatalogReader.read(f, null, new CatalogSpec(null, List.of("text"), null)));
    assertEquals(List.of("title", "categories", "brand"), r.textFields());
    Map<String, String> a = r.items().get(0).fields();
    assertEquals(List.of("Glue 8 oz", "Adhesives", "Gorilla"),
        List.of(a.get("title"), a.get("categories"), a.get("brand")));
    assertFalse(a.containsKey("text"));
    Map<String, String> b = r.items().get(1).fields();
    assertEquals(List.of("Caulk", "DAP"), List.of(b.get("title"), b.get("brand")));
    assertFalse(b.containsKey("categories"));
  }
}
