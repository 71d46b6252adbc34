package io.cliprec.encode.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  static final List<String> FIELDS = List.of("title", "brand", "categories", "description");

  @Test
  void cliperViewsWithMissingFillerAndGlobal() {
    PromptBuilder b = PromptBuilder.cliper(FIELDS, Map.of());
    Map<String, String> f = new HashMap<>();
    f.put("title", "Soft\n  bib");
    f.put("brand", "");
    f.put("categories", "Baby Feeding Bibs");
    f.put("description", null);
    assertEquals(List.of("title", "brand", "categories", "description", "global"), b.viewNames());
    assertEquals(List.of(
        "The product title is Soft bib.",
        "The product brand is Missing.",
        "The product categories are Baby Feeding Bibs.",
        "The product description is Missing.",
        "The product title is Soft bib. The product categories are Baby Feeding Bibs."), b.build(f));
    assertEquals("The product title is ", b.prefix(0));
    assertEquals("", b.prefix(4));
  }

  @Test
  void singleCharacterCountsAsMissingLikeCliper() {
    PromptBuilder b = PromptBuilder.cliper(List.of("brand"), Map.of("brand", "Made by {}!"));
    assertEquals(List.of("Made by Missing.", "Missing."), b.build(Map.of("brand", " x ")));
    assertEquals(List.of("Made by Acme!", "Made by Acme!"), b.build(Map.of("brand", "Acme")));
  }

  @Test
  void rawJoinsFieldsWithoutTemplate() {
    PromptBuilder b = PromptBuilder.raw(List.of("prod_name", "detail_desc"));
    assertEquals(1, b.numViews());
    assertEquals(List.of("Tee Jersey top"), b.build(Map.of("prod_name", "Tee", "detail_desc", " Jersey\ttop ")));
    assertEquals(List.of("Missing."), b.build(Map.of()));
  }

  @Test
  void genericTemplateAndValidation() {
    assertEquals("The product colour is {}.", ViewTemplate.defaultFor("colour_group_name").template());
    assertEquals("The product index group name is {}.", ViewTemplate.defaultFor("index_group_name").template());
    assertThrows(IllegalArgumentException.class, () -> new ViewTemplate("a", "a", "no slot"));
    assertThrows(IllegalArgumentException.class, () -> new ViewTemplate("a", "a", "{} {}"));
  }
}
