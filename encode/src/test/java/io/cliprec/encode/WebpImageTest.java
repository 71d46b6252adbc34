package io.cliprec.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.encode.catalog.CatalogFormat;
import io.cliprec.encode.clip.TinyClip;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebP catalog images decode through the TwelveMonkeys ImageIO plugin ({@code imageio-webp}) and go
 * through the encode pipeline like JPEG/PNG.
 *
 * <p>Fixtures (src/test/resources/io/cliprec/encode/clip/, made with Pillow 12.3 because TwelveMonkeys
 * only reads WebP): a 12x8 image of four solid quadrants (red top-left, green top-right, blue bottom-left,
 * white bottom-right), saved as lossless VP8L ({@code quadrants-lossless.webp}, 66 bytes:
 * {@code im.save(p, 'WEBP', lossless=True)}) and, scaled 4x with nearest neighbour to 48x32, as lossy VP8
 * ({@code quadrants-lossy.webp}, 130 bytes: {@code quality=90}).
 */
class WebpImageTest {
  private static BufferedImage read(String name) throws Exception {
    try (InputStream in = WebpImageTest.class.getResourceAsStream("/io/cliprec/encode/clip/" + name)) {
      assertNotNull(in, name);
      BufferedImage img = ImageIO.read(in);
      assertNotNull(img, "no ImageIO reader for " + name);
      return img;
    }
  }

  private static void assertColour(BufferedImage img, int x, int y, int rgb, int tol) {
    int p = img.getRGB(x, y);
    for (int shift : new int[] {16, 8, 0}) {
      int got = (p >> shift) & 0xff;
      int want = (rgb >> shift) & 0xff;
      assertTrue(Math.abs(got - want) <= tol, String.format("pixel (%d,%d) = %06x, want %06x", x, y,
          p & 0xffffff, rgb));
    }
  }

  @Test
  void losslessAndLossyWebpDecode() throws Exception {
    BufferedImage a = read("quadrants-lossless.webp");
    assertEquals(12, a.getWidth());
    assertEquals(8, a.getHeight());
    int[][] q = {{0, 0, 0xff0000}, {11, 0, 0x00ff00}, {0, 7, 0x0000ff}, {11, 7, 0xffffff}, {5, 3, 0xff0000},
        {6, 4, 0xffffff}};
    for (int[] c : q) {
      assertColour(a, c[0], c[1], c[2], 0); // lossless: exact
    }
    BufferedImage b = read("quadrants-lossy.webp");
    assertEquals(48, b.getWidth());
    assertEquals(32, b.getHeight());
    for (int[] c : q) {
      assertColour(b, c[0] * 4 + 1, c[1] * 4 + 1, c[2], 40); // lossy: close, away from the edges
    }
  }

  @Test
  void webpImagesAreEncodedByThePipeline(@TempDir Path tmp) throws Exception {
    Path images = Files.createDirectories(tmp.resolve("images"));
    for (String id : List.of("a", "b")) {
      String res = id.equals("a") ? "quadrants-lossless.webp" : "quadrants-lossy.webp";
      try (InputStream in = WebpImageTest.class.getResourceAsStream("/io/cliprec/encode/clip/" + res)) {
        Files.copy(in, images.resolve(id + ".webp"));
      }
    }
    Path cat = tmp.resolve("items.jsonl");
    Files.writeString(cat, "{\"id\": \"a\", \"title\": \"red green blue white\"}\n"
        + "{\"id\": \"b\", \"title\": \"the same, lossy\"}\n");
    EncodeOptions o = new EncodeOptions();
    o.catalog = cat;
    o.catalogFormat = CatalogFormat.JSONL;
    o.idField = "id";
    o.textFields = List.of("title");
    o.images = images;
    o.clipModel = TinyClip.write(tmp.resolve("clip"), TinyClip.Layout.JOINT, 3);
    o.out = tmp.resolve("out");
    o.decodeThreads = 1;
    EncodeResult r = EncodePipeline.run(o);
    assertEquals(2, r.numItems());
    Map<?, ?> manifest = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        o.out.resolve("manifest.json").toFile(), Map.class);
    assertEquals(2, manifest.get("images_encoded"));
    assertEquals(List.of("row\tid\twhat\tmessage"), Files.readAllLines(o.out.resolve("problems.tsv")));
    // the two decodes of the same picture give close but not identical image vectors
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int c = 0; c < r.imageDim; c++) {
      dot += r.image[c] * r.image[r.imageDim + c];
      na += r.image[c] * r.image[c];
      nb += r.image[r.imageDim + c] * r.image[r.imageDim + c];
    }
    assertTrue(dot / Math.sqrt(na * nb) > 0.9, "cosine " + dot / Math.sqrt(na * nb));
  }
}
