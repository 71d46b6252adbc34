package io.cliprec.serve.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.run.RunRecord;
import io.cliprec.serve.Fixtures;
import io.cliprec.serve.Scored;
import io.cliprec.serve.ServingIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  @TempDir Path tmp;

  static Path fixture() {
    return Fixtures.committed();
  }

  @Test
  @SuppressWarnings("unchecked")
  void committedV1FixtureLoadsAndPredictsTheStoredValues() throws IOException {
    Bundle b = Bundle.load(fixture());
    assertEquals("bpr", b.modelName());
    assertEquals(20, b.users().size());
    assertEquals(15, b.items().size());
    assertEquals(4, b.itemFactors().cols());
    assertEquals(List.of("image", "text"), List.copyOf(b.features().names()));
    assertTrue(b.seen().nnz() > 0);
    Map<String, Object> want = new ObjectMapper().readValue(
        fixture().resolveSibling("expected-v1.json").toFile(), Map.class);
    Map<String, List<List<Object>>> users = (Map<String, List<List<Object>>>) want.get("users");
    assertEquals(20, users.size());
    ServingIndex index = new ServingIndex(b, 100);
    for (Map.Entry<String, List<List<Object>>> e : users.entrySet()) {
      List<Scored> got = index.forUser(e.getKey(), 5, true);
      assertEquals(e.getValue().size(), got.size(), e.getKey());
      for (int r = 0; r < got.size(); r++) {
        assertEquals(e.getValue().get(r).get(0), got.get(r).item(), e.getKey() + " rank " + r);
        assertEquals(((Number) e.getValue().get(r).get(1)).floatValue(), got.get(r).score(), 1e-6f);
      }
    }
  }

  @Test
  void roundTripKeepsEverything() throws IOException {
    Path out = tmp.resolve("b");
    Fixtures.writeBundle(out, 5);
    Bundle b = Bundle.load(out);
    Dataset ds = Fixtures.dataset(5);
    assertEquals(ds.users().ids(), b.users().ids());
    assertEquals(ds.items().ids(), b.items().ids());
    assertArrayEquals(Fixtures.model(5).itemFactors().data(), b.itemFactors().data());
    assertArrayEquals(Fixtures.model(5).userFactors(null).data(), b.userFactors().data());
    var seen = Bundle.seenMatrix(ds);
    assertArrayEquals(seen.indptr(), b.seen().indptr());
    assertArrayEquals(seen.indices(), b.seen().indices());
    assertArrayEquals(Fixtures.features(5).get("text").data(), b.features().get("text").data());
    assertEquals(Bundle.FORMAT, b.manifest().get("format"));
    assertEquals(Bundle.VERSION, b.manifest().get("version"));
    assertNotNull(b.manifest().get("created"));
    assertEquals(5, ((Map<?, ?>) b.manifest().get("provenance")).get("seed"));
    assertTrue(!b.hasEncoder());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(out), s.toList(), "no temporary directory is left behind");
    }
  }

  @Test
  void refusesToOverwriteANonEmptyDirectory() throws IOException {
    Path out = tmp.resolve("b");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "x");
    IOException e = assertThrows(IOException.class, () -> Fixtures.writeBundle(out, 1));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertTrue(Files.exists(out.resolve("keep.txt")));
  }

  @Test
  void newerFormatVersionFailsWithAClearMessage() throws IOException {
    Path out = tmp.resolve("b");
    Fixtures.writeBundle(out, 1);
    rewriteManifest(out, "version", 2);
    IOException e = assertThrows(IOException.class, () -> Bundle.load(out));
    assertTrue(e.getMessage().contains("version 2 is newer than this cliprec supports (1)"), e.getMessage());
    rewriteManifest(out, "version", 0);
    e = assertThrows(IOException.class, () -> Bundle.load(out));
    assertTrue(e.getMessage().contains("unknown bundle format version 0"), e.getMessage());
  }

  @Test
  void otherFormatsAndNonBundlesFailClearly() throws IOException {
    IOException e = assertThrows(IOException.class, () -> Bundle.load(tmp));
    assertTrue(e.getMessage().contains("is not a cliprec bundle"), e.getMessage());
    Path out = tmp.resolve("b");
    Fixtures.writeBundle(out, 1);
    rewriteManifest(out, "format", "cliprec-features");
    e = assertThrows(IOException.class, () -> Bundle.load(out));
    assertTrue(e.getMessage().contains("format 'cliprec-features' is not 'cliprec-bundle'"), e.getMessage());
  }

  @Test
  void alteredFileIsDetected() throws IOException {
    Path out = tmp.resolve("b");
    Fixtures.writeBundle(out, 1);
    Files.writeString(out.resolve("items.txt"), Files.readString(out.resolve("items.txt")).replace("item-03", "item-33"));
    IOException e = assertThrows(IOException.class, () -> Bundle.load(out));
    assertTrue(e.getMessage().contains("items.txt: checksum differs"), e.getMessage());
  }

  @Test
  void fromRunTakesModelFeaturesAndProvenanceAndChecksTheData() throws IOException {
    Dataset ds = Fixtures.dataset(3);
    Path run = tmp.resolve("run");
    Fixtures.model(3).save(run.resolve("model"));
    Path feats = tmp.resolve("feats");
    Fixtures.features(3).write(feats);
    RunRecord rec = new RunRecord("bpr", 3).dataset(ds).config(Map.of("embedding_size", 4));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("path", feats.toString());
    f.put("modalities", List.of("text"));
    rec.put("features", f);
    rec.write(run);

    Path out = tmp.resolve("bundle");
    Bundle.fromRun(run, ds, out);
    Bundle b = Bundle.load(out);
    assertEquals(List.of("text"), List.copyOf(b.features().names()));
    Map<?, ?> prov = (Map<?, ?>) b.manifest().get("provenance");
    assertEquals(3, prov.get("seed"));
    assertEquals(ds.contentHash(), ((Map<?, ?>) prov.get("dataset")).get("hash"));
    assertEquals(4, ((Map<?, ?>) prov.get("config")).get("embedding_size"));
    assertArrayEquals(Fixtures.model(3).itemFactors().data(), b.itemFactors().data());

    // without features in run.json there are none in the bundle
    rec.put("features", null);
    rec.write(run);
    Bundle.fromRun(run, ds, tmp.resolve("bundle2"));
    assertNull(Bundle.load(tmp.resolve("bundle2")).features());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bundle.fromRun(run, Fixtures.dataset(4), tmp.resolve("bundle3")));
    assertTrue(e.getMessage().contains("not the data this run was trained on"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static void rewriteManifest(Path dir, String key, Object value) throws IOException {
    ObjectMapper om = new ObjectMapper();
    Map<String, Object> m = om.readValue(dir.resolve(Bundle.MANIFEST).toFile(), LinkedHashMap.class);
    m.put(key, value);
    om.writeValue(dir.resolve(Bundle.MANIFEST).toFile(), m);
  }
}
