package io.cliprec.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import io.cliprec.core.features.NpyArray;
import io.cliprec.encode.catalog.CatalogFormat;
import io.cliprec.encode.clip.TinyClip;
import io.cliprec.encode.fusion.Fusion;
import io.cliprec.encode.views.ViewMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodePipelineTest {
  @TempDir
  Path tmp;

  static Path data() {
    return Path.of(System.getProperty("cliprec.data", "../shared/data"));
  }

  @Test
  void hmSampleEndToEndWithTinyClip() throws Exception {
    Path hm = data().resolve("hm-sample");
    Assumptions.assumeTrue(Files.isDirectory(hm), hm + " absent (../shared/data): skipping");
    Path model = TinyClip.write(tmp.resolve("clip"), TinyClip.Layout.JOINT, 11);
    EncodeOptions o = new EncodeOptions();
    o.catalog = hm.resolve("articles_sample.jsonl");
    o.catalogFormat = CatalogFormat.HM;
    o.images = hm.resolve("images");
    o.clipModel = model;
    o.out = tmp.resolve("out");
    o.imageBatch = 16;
    o.decodeThreads = 2;
    EncodeResult r = EncodePipeline.run(o);
    int n = 1000;
    int v = 6;
    int d = TinyClip.DIM;
    assertEquals(n, r.numItems());
    assertEquals(List.of("prod_name", "product_type_name", "colour_group_name", "department_name", "detail_desc",
        "global"), r.viewNames);
    Path out = o.out;
    ItemFeatures f = ItemFeatures.read(out);
    assertEquals(List.of("image", "text"), List.copyOf(f.names()));
    assertEquals(n, f.numItems());
    assertEquals(d, f.get("image").cols());
    NpyArray views = Npy.read(out.resolve("text_views.npy"));
    assertArrayEquals(new int[] {v, n, d}, views.shape());
    FloatMatrix sim = Npy.readMatrix(out.resolve("sim.npy"));
    assertEquals(v, sim.cols());
    float[] present = Npy.read(out.resolve("image_present.npy")).data();
    int withImage = 0;
    for (float p : present) {
      withImage += (int) p;
    }
    assertEquals(100, withImage);
    List<String> ids = Files.readAllLines(out.resolve("item_ids.txt"));
    assertEquals(n, ids.size());
    assertEquals("822115001", ids.get(0));
    // attention fusion recomputed by hand for one item with an image
    int i = 0;
    while (present[i] == 0) {
      i++;
    }
    double[] w = new double[v];
    double z = 0;
    for (int k = 0; k < v; k++) {
      w[k] = Math.exp(sim.get(i, k));
      z += w[k];
    }
    FloatMatrix text = f.get("text");
    for (int c = 0; c < d; c++) {
      double expect = 0;
      for (int k = 0; k < v; k++) {
        expect += w[k] / z * views.data()[(k * n + i) * d + c];
      }
      assertEquals(expect, text.get(i, c), 1e-5);
    }
    // similarities are cos/tau: bounded by 1/tau, and zero for rows without image
    for (int r2 = 0; r2 < n; r2++) {
      for (int k = 0; k < v; k++) {
        assertTrue(Math.abs(sim.get(r2, k)) <= 10.0001f);
        if (present[r2] == 0) {
          assertEquals(0f, sim.get(r2, k));
        }
      }
    }
    List<String> problems = Files.readAllLines(out.resolve("problems.tsv"));
    assertEquals(900, problems.stream().filter(l -> l.contains("\timage\t")).count());
    assertTrue(problems.stream().anyMatch(l -> l.contains("view:detail_desc") && l.contains("chunks summed")),
        "long descriptions are chunked");
    Map<?, ?> manifest = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        out.resolve("manifest.json").toFile(), Map.class);
    assertEquals("attention", manifest.get("fusion"));
    assertEquals(100, manifest.get("images_encoded"));
    assertTrue(((Map<?, ?>) manifest.get("clip")).get("sha256").toString().matches("[0-9a-f]{64}"));
    System.out.println("H&M similarity stats: " + manifest.get("similarity_stats"));
    System.out.println("H&M timings: " + manifest.get("timings"));
    // rows without image carry the mean image vector, not zeros
    int j = 0;
    while (present[j] == 1) {
      j++;
    }
    double norm = 0;
    for (float x : f.get("image").row(j)) {
      norm += x * x;
    }
    assertTrue(norm > 0);
  }

  @Test
  void alignsToDatasetAndFillsMissingItemsWithMean() throws Exception {
    Path model = TinyClip.write(tmp.resolve("clip"), TinyClip.Layout.SEPARATE, 3);
    Path cat = tmp.resolve("cat.csv");
    Files.writeString(cat, "id,title\n1,red hat\n0,blue shoe\n7,not in data\n");
    Path inter = tmp.resolve("toy.inter");
    Files.writeString(inter, "userID\titemID\trating\ttimestamp\tx_label\n0\t0\t1\t1\t0\n0\t1\t1\t2\t0\n"
        + "1\t2\t1\t3\t0\n1\t0\t1\t4\t2\n0\t2\t1\t5\t2\n");
    EncodeOptions o = new EncodeOptions();
    o.catalog = cat;
    o.idField = "id";
    o.textFields = List.of("title");
    o.clipModel = model;
    o.views = ViewMode.RAW;
    o.data = inter;
    o.dataFormat = "mmrec";
    o.out = tmp.resolve("out");
    EncodeResult r = EncodePipeline.run(o);
    assertEquals(List.of("0", "1", "2"), Files.readAllLines(o.out.resolve("item_ids.txt")));
    assertArrayEquals(new float[] {1, 1, 0}, Npy.read(o.out.resolve("catalog_present.npy")).data());
    FloatMatrix t = Npy.readMatrix(o.out.resolve("text_feat.npy"));
    for (int c = 0; c < t.cols(); c++) {
      assertEquals((t.get(0, c) + t.get(1, c)) / 2, t.get(2, c), 1e-6);
    }
    assertTrue(!Files.exists(o.out.resolve("image_feat.npy")), "no images given: text only");
    assertEquals(Fusion.SUM.name().toLowerCase(), r.manifest.get("fusion"));
    // attention without images is refused with a clear message
    o.fusion = Fusion.ATTENTION;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncodePipeline.run(o));
    assertTrue(e.getMessage().contains("attention"), e.getMessage());
  }

  @Test
  void realDatasetAlignmentMl100k() throws Exception {
    Path ml = data().resolve("ml-100k");
    Assumptions.assumeTrue(Files.isDirectory(ml), ml + " absent (../shared/data): skipping");
    Path model = TinyClip.write(tmp.resolve("clip"), TinyClip.Layout.JOINT, 5);
    EncodeOptions o = new EncodeOptions();
    o.catalog = ml.resolve("ml-100k.item");
    o.textFields = List.of("movie_title", "release_year", "class");
    o.clipModel = model;
    o.data = ml.resolve("ml-100k.inter");
    o.dataFormat = "recbole";
    o.out = tmp.resolve("ml");
    EncodeResult r = EncodePipeline.run(o);
    io.cliprec.core.data.Dataset ds = io.cliprec.core.io.DatasetFormats.read(o.data, "recbole",
        io.cliprec.core.config.Config.empty());
    assertEquals(ds.items().ids(), Files.readAllLines(o.out.resolve("item_ids.txt")));
    assertEquals(1682, r.numItems());
    float[] present = Npy.read(o.out.resolve("catalog_present.npy")).data();
    for (float p : present) {
      assertEquals(1f, p);
    }
    // row of dataset item "1" (Toy Story) equals encoding the catalog alone, row of catalog id "1"
    EncodeOptions c = new EncodeOptions();
    c.catalog = o.catalog;
    c.textFields = o.textFields;
    c.clipModel = model;
    c.out = tmp.resolve("ml-cat");
    EncodeResult rc = EncodePipeline.run(c);
    int rowData = ds.items().index("1");
    int rowCat = rc.ids.indexOf("1");
    assertEquals(0, rowCat);
    for (int k = 0; k < r.textDim; k++) {
      assertEquals(rc.text[rowCat * r.textDim + k], r.text[rowData * r.textDim + k], 1e-6);
    }
  }
}
