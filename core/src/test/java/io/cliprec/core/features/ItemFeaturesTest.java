package io.cliprec.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemFeaturesTest {
  @TempDir
  Path tmp;

  static FloatMatrix m(int rows, int cols, float start) {
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = start + i;
    }
    return new FloatMatrix(rows, cols, a);
  }

  static ItemFeatures sample() {
    Map<String, FloatMatrix> mods = new LinkedHashMap<>();
    mods.put("text", m(3, 2, 0));
    mods.put("image", m(3, 4, 100));
    mods.put("text.title", m(3, 1, 50));
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("encoder", "test-clip");
    prov.put("config", Map.of("dim", 2, "views", List.of("title", "brand")));
    prov.put("dataHash", "abcd");
    return new ItemFeatures(mods, prov);
  }

  @Test
  void directoryRoundTripKeepsOrderAndProvenance() {
    ItemFeatures f = sample();
    Path dir = tmp.resolve("feat");
    f.write(dir);
    assertTrue(Files.isRegularFile(dir.resolve("image_feat.npy"))); // MMRec reads this name
    assertTrue(Files.isRegularFile(dir.resolve("text_feat.npy")));
    assertTrue(Files.isRegularFile(dir.resolve("text.title_feat.npy")));
    ItemFeatures g = ItemFeatures.read(dir);
    assertEquals(List.of("text", "image", "text.title"), List.copyOf(g.names())); // manifest order
    assertArrayEquals(f.get("image").data(), g.get("image").data());
    assertEquals("test-clip", g.provenance().get("encoder"));
    assertEquals(Map.of("dim", 2, "views", List.of("title", "brand")), g.provenance().get("config"));
    assertEquals(dir.resolve("image_feat.npy"), g.source("image"));
    assertEquals(3, g.numItems());
  }

  @Test
  void filesNamedPerModalityWhateverTheirStems() {
    Path dir = tmp.resolve("lfm");
    Npy.write(dir.resolve("all-MiniLM-L6-v2.npy"), m(3, 2, 0));
    Npy.write(dir.resolve("whisper.npy"), m(3, 4, 10));
    sample().write(tmp.resolve("feat"));
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("text", dir.resolve("all-MiniLM-L6-v2.npy"));
    files.put("audio", dir.resolve("whisper.npy"));
    files.put("image", tmp.resolve("feat")); // a features directory: its modality of the same name
    ItemFeatures f = ItemFeatures.readFiles(files);
    assertEquals(List.of("text", "audio", "image"), List.copyOf(f.names()));
    assertArrayEquals(m(3, 4, 10).data(), f.get("audio").data());
    assertArrayEquals(m(3, 4, 100).data(), f.get("image").data());
    assertEquals(dir.resolve("whisper.npy"), f.source("audio"));
    assertEquals(tmp.resolve("feat").resolve("image_feat.npy"), f.source("image"));
    assertEquals(dir.resolve("whisper.npy").toString(), ((Map<?, ?>) f.provenance().get("source")).get("audio"));
    assertThrows(DataFormatException.class,
        () -> ItemFeatures.readFiles(Map.of("audio", tmp.resolve("feat")))); // 3 modalities, none "audio"
    assertThrows(DataFormatException.class,
        () -> ItemFeatures.readFiles(Map.of("text", dir.resolve("missing.npy"))));
    Npy.write(dir.resolve("short.npy"), m(2, 2, 0));
    Map<String, Path> bad = new LinkedHashMap<>(files);
    bad.put("short", dir.resolve("short.npy"));
    assertThrows(DataFormatException.class, () -> ItemFeatures.readFiles(bad));
  }

  @Test
  void mmrecDirectoryWithoutManifest() {
    Path dir = tmp.resolve("mmrec");
    Npy.write(dir.resolve("text_feat.npy"), m(4, 3, 0));
    Npy.write(dir.resolve("image_feat.npy"), m(4, 2, 0));
    Npy.write(dir.resolve("audio.npy"), m(4, 1, 0));
    ItemFeatures f = ItemFeatures.read(dir);
    assertEquals(List.of("audio", "image", "text"), List.copyOf(f.names())); // file-name order
    assertEquals(3, f.get("text").cols());
  }

  @Test
  void npzAndSingleFile() {
    Path z = tmp.resolve("f.npz");
    sample().writeNpz(z, true);
    ItemFeatures f = ItemFeatures.read(z);
    assertEquals(List.of("text", "image", "text.title"), List.copyOf(f.names()));
    assertEquals(104f, f.get("image").get(1, 0));
    Path one = tmp.resolve("image_feat.npy");
    Npy.write(one, m(2, 2, 0));
    assertEquals(List.of("image"), List.copyOf(ItemFeatures.read(one).names()));
  }

  @Test
  void validateRowsNamesFileAndDataset() {
    Path dir = tmp.resolve("v");
    sample().write(dir);
    ItemFeatures f = ItemFeatures.read(dir);
    f.validateRows(3, "tiny");
    DataFormatException e = assertThrows(DataFormatException.class, () -> f.validateRows(5, "baby"));
    assertTrue(e.getMessage().contains("text_feat.npy has 3 rows but dataset baby has 5 items"),
        e.getMessage());
  }

  @Test
  void mismatchedModalitiesRejected() {
    Path dir = tmp.resolve("bad");
    Npy.write(dir.resolve("image_feat.npy"), m(4, 2, 0));
    Npy.write(dir.resolve("text_feat.npy"), m(5, 2, 0));
    DataFormatException e = assertThrows(DataFormatException.class, () -> ItemFeatures.read(dir));
    assertTrue(e.getMessage().contains("text_feat.npy"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new ItemFeatures(Map.of("a b", m(1, 1, 0)), Map.of()));
  }

  @Test
  void selectWithConcat() {
    ItemFeatures f = sample();
    ItemFeatures s = f.select(List.of("image", "text"));
    assertEquals(List.of("image", "text"), List.copyOf(s.names()));
    FloatMatrix c = f.concat(List.of("text", "text.title"));
    assertEquals(3, c.cols());
    // row 1: text (2, 3), text.title (51)
    assertArrayEquals(new float[] {2, 3, 51}, c.row(1));
    assertThrows(IllegalArgumentException.class, () -> f.get("audio"));
    assertEquals(4, f.with("id", m(3, 5, 0)).names().size());
  }

  @Test
  void manifestPointsToMissingFile() throws Exception {
    Path dir = tmp.resolve("m");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("features.json"), "{\"modalities\": {\"image\": \"nope.npy\"}}");
    DataFormatException e = assertThrows(DataFormatException.class, () -> ItemFeatures.read(dir));
    assertTrue(e.getMessage().contains("nope.npy"), e.getMessage());
  }

  static Path dataDir(String rel) {
    Path root = Path.of(System.getProperty("cliprec.data", "../shared/data"));
    Assumptions.assumeTrue(Files.isDirectory(root), root + " (../shared/data) absent: skipping");
    Path d = root.resolve(rel);
    Assumptions.assumeTrue(Files.isDirectory(d), d + " absent: skipping");
    return d;
  }

  @Test
  void realScientificFeatures() {
    ItemFeatures f = ItemFeatures.read(dataDir("amazon-scientific"));
    assertEquals(List.of("image", "text"), List.copyOf(f.names()));
    f.validateRows(1585, "scientific");
    assertEquals(512, f.get("text").cols());
  }

  @Test
  void realLastfmFeatures() {
    ItemFeatures f = ItemFeatures.read(dataDir("lastfm-2k"));
    assertEquals(List.of("all-MiniLM-L6-v2", "vggish", "whisper"), List.copyOf(f.names()));
    f.validateRows(1425, "lastfm-2k");
    assertEquals(128, f.get("vggish").cols());
    assertEquals(384, f.get("all-MiniLM-L6-v2").cols());
  }
}
