package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.Npy;
import io.cliprec.core.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a joined-field RecBole catalog to a backbone with a trainable text fusion, through the CLI:
 * {@code encode --split-field --id-map --data} writes per-view MiniLM text aligned to the dataset, and
 * {@code train --set text_fusion=...} finds the views next to {@code text_feat.npy}.
 */
class EncodeFusionCliTest {
  @Test
  void splitFieldsIdMapAndTrainableFusion(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("Sci.text"), "item_id:token\ttext:token_seq\n"
        + "B0C\tCordless drill 18V. Power Tools. Makita. \n"
        + "B0A\tNitrile gloves, size M. Lab Supplies. . \n"
        + "B0B\tDigital caliper 6 in. Measuring Tools. Mitutoyo. \n");
    Files.writeString(tmp.resolve("Sci.item2index"), "B0A\t0\nB0B\t1\nB0C\t2\n");
    StringBuilder inter = new StringBuilder("userID\titemID\tx_label\n");
    for (int u = 0; u < 8; u++) {
      for (int i = 0; i < 3; i++) {
        inter.append(u).append('\t').append((u + i) % 3).append('\t').append(i).append('\n');
      }
    }
    Files.writeString(tmp.resolve("sci.inter"), inter.toString());
    Path feats = tmp.resolve("feats");
    CliRun enc = CliRun.run("encode", "--catalog", tmp.resolve("Sci.text").toString(), "--text-fields", "text",
        "--split-field", "text=title,categories,brand", "--id-map", tmp.resolve("Sci.item2index").toString(),
        "--text-model", "minilm", "--data", tmp.resolve("sci.inter").toString(), "--data-format", "mmrec",
        "--threads", "1", "--out", feats.toString());
    assertEquals(0, enc.code(), enc.err());
    assertEquals(List.of("title", "categories", "brand", "global"), Files.readAllLines(feats.resolve("views.txt")));
    assertEquals(List.of("0", "1", "2"), Files.readAllLines(feats.resolve("item_ids.txt")));
    assertArrayEquals(new int[] {4, 3, 384}, Npy.read(feats.resolve("text_views.npy")).shape());
    assertTrue(Files.readAllLines(feats.resolve("problems.tsv")).stream().noneMatch(l -> l.contains("\tcatalog\t")),
        "every dataset item found in the catalog through the id map");
    for (String fusion : List.of("mlp", "attention")) {
      Path run = tmp.resolve("run-" + fusion);
      CliRun tr = CliRun.run("train", "--model", "vbpr", "--data", tmp.resolve("sci.inter").toString(),
          "--format", "mmrec", "--features", feats.toString(), "--seed", "1", "--quiet", "--set", "epochs=2",
          "--set", "embedding_size=8", "--set", "text_fusion=" + fusion, "--out", run.toString());
      assertEquals(0, tr.code(), tr.err());
      Map<String, Object> cfg = RunRecord.read(run).section("config");
      assertEquals(fusion, cfg.get("text_fusion"));
    }
  }
}
