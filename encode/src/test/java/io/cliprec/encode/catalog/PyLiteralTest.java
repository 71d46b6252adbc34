package io.cliprec.encode.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PyLiteralTest {
  @Test
  void parsesAmazon2014Literals() {
    JsonNode n = PyLiteral.parse("{'a': \"it's\", 'b': [1, -2.5e3, True, None], 'c': ('x',), "
        + "'d': 'tab\\there \\'q\\' \\u00e9 \\x41', 'e': {}, 'f': [],}");
    assertEquals("it's", n.get("a").asText());
    assertEquals(-2500.0, n.get("b").get(1).asDouble());
    assertTrue(n.get("b").get(2).asBoolean());
    assertTrue(n.get("b").get(3).isNull());
    assertEquals("x", n.get("c").get(0).asText());
    assertEquals("tab\there 'q' \u00e9 A", n.get("d").asText());
    assertEquals(0, n.get("e").size());
  }

  @Test
  void reportsPositionOfErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("{'a': 1"));
    assertTrue(e.getMessage().contains("character 8"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("{'a': 'open}"));
    assertThrows(IllegalArgumentException.class, () -> PyLiteral.parse("{'a': 1} x"));
  }

  @Test
  void flattenAndEntities() {
    assertEquals("A & B <c> \u00e9 'q'", CatalogReader.unescapeHtml("A &amp; B &lt;c&gt; &#233; &#x27;q&#39;"));
    assertEquals("x &bogus; y", CatalogReader.unescapeHtml("x &bogus; y"));
    assertEquals("Gel\u00ae Cr\u00e8me \u00bd oz \u2122 \u2022 A B", CatalogReader.unescapeHtml(
        "Gel&reg; Cr&egrave;me &frac12; oz &trade; &bull; A&nbsp;B"));
    assertEquals("Kirk's", CatalogReader.unescapeHtml("Kirk&amp;#39;s"));
  }
}
