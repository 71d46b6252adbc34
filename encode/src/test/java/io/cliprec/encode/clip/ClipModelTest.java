package io.cliprec.encode.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated tiny CLIP runs through both optimum layouts with identical results. */
class ClipModelTest {
  @TempDir
  Path dir;

  @Test
  void jointAndSeparateLayoutsAgreeAndFailuresAreReported() throws Exception {
    Path joint = TinyClip.write(dir.resolve("joint"), TinyClip.Layout.JOINT, 7);
    Path sep = TinyClip.write(dir.resolve("sep"), TinyClip.Layout.SEPARATE, 7);
    assertTrue(Files.size(joint.resolve("model.onnx")) < 2_000_000);
    Path red = dir.resolve("red.png");
    BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        img.setRGB(x, y, ((x * 255 / 300) << 16) | ((y * 255 / 200) << 8) | 40);
      }
    }
    ImageIO.write(img, "png", red.toFile());
    Path corrupt = dir.resolve("corrupt.jpg");
    Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    Path webp = dir.resolve("x.webp");
    Files.write(webp, new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'});
    List<Path> sources = new ArrayList<>(Arrays.asList(red, corrupt, null, webp, red));
    List<String> texts = List.of("The product title is a red hat.", "The product brand is Missing.",
        "The product title is a red hat.");
    float[][] results = new float[2][];
    float[][] images = new float[2][];
    int k = 0;
    for (Path p : List.of(joint, sep)) {
      try (ClipModel m = ClipModel.load(p, 1, 2, 2)) {
        assertEquals(TinyClip.DIM, m.dim());
        assertEquals(p == joint, m.joint());
        FloatMatrix t = m.encode(texts);
        assertEquals(3, t.rows());
        assertArrayEquals(t.row(0), t.row(2), 1e-6f);
        assertNotEquals(t.get(0, 0), t.get(1, 0));
        double norm = 0;
        for (float v : t.row(1)) {
          norm += v * v;
        }
        assertEquals(1.0, norm, 1e-5);
        results[k] = t.data();
        ImageEmbeddings e = m.encodeImages(sources, 2);
        assertEquals(2, e.presentCount());
        assertTrue(e.present[0] && e.present[4]);
        assertFalse(e.present[1] || e.present[2] || e.present[3]);
        assertEquals(3, e.failures.size());
        assertEquals(1, e.failures.get(0).item);
        assertTrue(e.failures.get(2).reason.contains("unsupported"), e.failures.get(2).reason);
        assertArrayEquals(Arrays.copyOfRange(e.data, 0, TinyClip.DIM),
            Arrays.copyOfRange(e.data, 4 * TinyClip.DIM, 5 * TinyClip.DIM), 1e-6f);
        images[k] = e.data;
        assertEquals(2, m.stats().images.get());
      }
      k++;
    }
    assertArrayEquals(results[0], results[1], 1e-5f);
    assertArrayEquals(images[0], images[1], 1e-5f);
  }
}
