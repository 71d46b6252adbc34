package io.cliprec.encode.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.io.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogReaderTest {
  @TempDir
  Path dir;

  static final CatalogSpec DEFAULTS = new CatalogSpec(null, List.of(), null);

  @Test
  void amazon2014PythonDictsGzipped() throws IOException {
    Path f = dir.resolve("meta_Baby.json.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
      o.write(("{'asin': 'B001', 'title': \"Mom's Bib &amp; Cup\", 'price': 3.5, "
          + "'categories': [['Baby', 'Feeding', 'Bibs'], ['Other']], 'imUrl': 'http://x/1.jpg', "
          + "'related': {'also_bought': ('B002',)}, 'flag': True, 'brand': None}\n"
          + "{'asin': 'B002', 'description': 'Line\\none'}\n").getBytes(StandardCharsets.UTF_8));
    }
    CatalogReader.Result r = CatalogReader.read(f, CatalogFormat.AMAZON2014, DEFAULTS);
    assertEquals(2, r.items().size());
    CatalogItem a = r.items().get(0);
    assertEquals("B001", a.id());
    assertEquals("Mom's Bib & Cup", a.fields().get("title"));
    assertEquals("Baby Feeding Bibs", a.fields().get("categories"));
    assertEquals("3.5", a.fields().get("price"));
    assertNull(a.fields().get("brand"));
    assertEquals("http://x/1.jpg", a.imageRef());
    assertEquals("Line\none", r.items().get(1).fields().get("description"));
    assertEquals(List.of("title", "brand", "categories", "description"), r.textFields());
  }

  @Test
  void amazon2018And2023MapFieldNames() throws IOException {
    Path f18 = write("meta18.json", "{\"asin\":\"A1\",\"title\":\"T\",\"brand\":\"B\",\"category\":[\"Ind\",\"Tapes\"],"
        + "\"description\":[\"d1\",\"d2\"],\"imageURLHighRes\":[\"h.jpg\"]}\n");
    CatalogItem a = CatalogReader.read(f18, CatalogFormat.AMAZON2018, DEFAULTS).items().get(0);
    assertEquals("Ind Tapes", a.fields().get("categories"));
    assertEquals("d1 d2", a.fields().get("description"));
    assertEquals("h.jpg", a.imageRef());
    Path f23 = write("meta23.jsonl", "{\"parent_asin\":\"P1\",\"title\":\"T\",\"store\":\"S\",\"main_category\":\"All\","
        + "\"categories\":[],\"description\":[],\"images\":[{\"thumb\":\"t.jpg\",\"large\":\"l.jpg\"}],"
        + "\"details\":{\"Color\":\"red\"}}\n");
    CatalogItem b = CatalogReader.read(f23, CatalogFormat.AMAZON2023, DEFAULTS).items().get(0);
    assertEquals("P1", b.id());
    assertEquals("S", b.fields().get("brand"));
    assertEquals("All", b.fields().get("categories"));
    assertNull(b.fields().get("description"));
    assertEquals("l.jpg", b.imageRef());
  }

  @Test
  void csvWithQuotesAndDuplicates() throws IOException {
    Path f = write("c.csv", "id,name,desc,img\n1,\"Tee, white\",\"says \"\"hi\"\"\nline2\",a/1.png\n2,Cap,,\n1,Dup,x,\n");
    CatalogReader.Result r = CatalogReader.read(f, CatalogFormat.CSV, new CatalogSpec("id", List.of("name", "desc"), "img"));
    assertEquals(2, r.items().size());
    assertEquals(1, r.duplicates());
    assertEquals("Tee, white", r.items().get(0).fields().get("name"));
    assertEquals("says \"hi\"\nline2", r.items().get(0).fields().get("desc"));
    assertEquals("a/1.png", r.items().get(0).imageRef());
    assertEquals(4, r.items().get(1).line());
    assertNull(r.items().get(1).fields().get("desc"));
  }

  @Test
  void errorsNameFileLineAndField() throws IOException {
    Path f = write("bad.jsonl", "{\"id\":\"a\",\"t\":\"x\"}\n{\"t\":\"y\"}\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> CatalogReader.read(f, CatalogFormat.JSONL, new CatalogSpec("id", List.of("t"), null)));
    assertEquals(2, e.line());
    assertEquals("id", e.field());
    Path g = write("bad.tsv", "id\tt\na\tx\nb\n");
    e = assertThrows(DataFormatException.class,
        () -> CatalogReader.read(g, CatalogFormat.TSV, new CatalogSpec("id", List.of("t"), null)));
    assertEquals(3, e.line());
    Path h = write("ok.jsonl", "{\"id\":\"a\",\"t\":\"x\"}\n");
    e = assertThrows(DataFormatException.class,
        () -> CatalogReader.read(h, CatalogFormat.JSONL, new CatalogSpec("id", List.of("title"), null)));
    assertEquals("title", e.field());
    Path j = write("broken.jsonl", "{\"id\":\"a\",\n");
    e = assertThrows(DataFormatException.class,
        () -> CatalogReader.read(j, CatalogFormat.JSONL, new CatalogSpec("id", List.of("t"), null)));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("broken.jsonl:1"), e.getMessage());
  }

  @Test
  void realRecBoleAndHmCatalogs() {
    Path data = Path.of(System.getProperty("cliprec.data", "../shared/data"));
    Assumptions.assumeTrue(Files.isDirectory(data), data + " absent (../shared/data): skipping");
    CatalogReader.Result sci = CatalogReader.read(data.resolve("amazon-scientific/Scientific.text"), null,
        new CatalogSpec(null, List.of("text"), null));
    assertEquals(1585, sci.items().size());
    assertEquals("item_id", sci.idField());
    assertTrue(sci.items().get(0).fields().get("text").startsWith("Gorilla"));
    CatalogReader.Result ml = CatalogReader.read(data.resolve("ml-100k/ml-100k.item"), CatalogFormat.RECBOLE,
        new CatalogSpec(null, List.of("movie_title", "class"), null));
    assertEquals(1682, ml.items().size());
    assertEquals("Toy Story", ml.items().get(0).fields().get("movie_title"));
    CatalogReader.Result hm = CatalogReader.read(data.resolve("hm-sample/articles_sample.jsonl"),
        CatalogFormat.HM, DEFAULTS);
    assertEquals(1000, hm.items().size());
    assertEquals("822115001", hm.items().get(0).id());
    assertEquals("Pola seamless leggings", hm.items().get(0).fields().get("prod_name"));
    CatalogReader.Result beauty = CatalogReader.read(data.resolve("amazon-beauty/beauty_items.jsonl"),
        CatalogFormat.AMAZON2014, DEFAULTS);
    assertEquals(12101, beauty.items().size());
    assertEquals("Beauty Makeup Nails Nail Polish", beauty.items().get(0).fields().get("categories"));
    // raw Amazon strings carry &amp; &reg; &eacute; ...: none survive the reader
    java.util.regex.Pattern entity = java.util.regex.Pattern.compile("&(amp|quot|reg|trade|eacute|egrave|#39);");
    for (CatalogItem it : beauty.items()) {
      for (String v : it.fields().values()) {
        assertFalse(entity.matcher(v).find(), it.id() + ": " + v);
      }
    }
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
