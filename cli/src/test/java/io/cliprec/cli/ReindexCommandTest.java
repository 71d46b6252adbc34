package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReindexCommandTest {
  /**
   * An encode output numbered like a.txt is written for b.txt's ids (derived by aligning the two sequence
   * files), with views exported; CPMM then pairs the title view with the brand+categories group.
   */
  @Test
  void alignsSequenceIdsAndFeedsCpmmWithTwoTextViews(@TempDir Path tmp) throws Exception {
    int n = 12;
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    SplittableRandom rng = new SplittableRandom(5);
    for (int u = 1; u <= 40; u++) {
      a.append(u);
      b.append(u);
      for (int k = 0; k < 6; k++) {
        int item = 1 + rng.nextInt(n);
        a.append(' ').append(item);
        b.append(' ').append(100 + n - item); // another numbering of the same items
      }
      a.append('\n');
      b.append('\n');
    }
    Files.writeString(tmp.resolve("a.txt"), a);
    Files.writeString(tmp.resolve("b.txt"), b);
    Path enc = tmp.resolve("enc");
    float[] text = new float[n];
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text[i] = i + 1;
      ids.append(i + 1).append('\n');
    }
    new ItemFeatures(Map.of("text", new FloatMatrix(n, 1, text)), Map.of()).write(enc);
    Files.writeString(enc.resolve("item_ids.txt"), ids);
    Files.writeString(enc.resolve("views.txt"), "title\nbrand\ncategories\n");
    float[] v = new float[3 * n * 8];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rng.nextGaussian();
    }
    Npy.write(enc.resolve("text_views.npy"), new int[] {3, n, 8}, v);

    CliRun r = CliRun.run("reindex", "--features", enc.toString(), "--data", tmp.resolve("b.txt").toString(),
        "--format", "seq", "--align-sequences", tmp.resolve("a.txt") + "," + tmp.resolve("b.txt"),
        "--views", "all", "--view-group", "meta=brand+categories", "--out", tmp.resolve("feat").toString());
    assertEquals(0, r.code(), r.err());
    ItemFeatures f = ItemFeatures.read(tmp.resolve("feat"));
    assertEquals(List.of("text", "text.title", "text.brand", "text.categories", "text.meta"),
        List.copyOf(f.names()));
    List<String> map = Files.readAllLines(tmp.resolve("feat/id_map.tsv"));
    assertEquals(f.numItems(), map.size());
    for (String line : map) {
      String[] t = line.split("\t");
      assertEquals(100 + n - Integer.parseInt(t[1]), Integer.parseInt(t[0]), line);
    }
    // row r of the output holds encoded item map(r): text = its encoded id
    for (int row = 0; row < f.numItems(); row++) {
      String encodedId = map.get(row).split("\t")[1];
      assertEquals(Float.parseFloat(encodedId), f.get("text").get(row, 0));
    }

    r = CliRun.run("pretrain", "cpmm", "--data", tmp.resolve("b.txt").toString(), "--format", "seq",
        "--features", tmp.resolve("feat").toString(), "--set", "view_a=text.title", "--set",
        "view_b=text.meta", "--set", "epochs=2", "--set", "dim=4", "--set", "batch_size=4",
        "--out", tmp.resolve("cpmm").toString());
    assertEquals(0, r.code(), r.err());
    ItemFeatures c = ItemFeatures.read(tmp.resolve("cpmm"));
    assertEquals(List.of("text.title", "text.meta", "id"), List.copyOf(c.names()));
    assertEquals(4, c.get("id").cols());

    r = CliRun.run("reindex", "--features", enc.toString(), "--data", tmp.resolve("b.txt").toString(),
        "--format", "seq", "--out", tmp.resolve("bad").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("have no row in"), r.err());
  }
}
