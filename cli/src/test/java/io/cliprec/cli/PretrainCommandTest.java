package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.core.synth.SyntheticShop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainCommandTest {
  @Test
  void cpmmWritesImageTextAndIdFeaturesWithRunJson(@TempDir Path tmp) throws Exception {
    SyntheticShop.generate(120, 60, 10, 4).write(tmp.resolve("data"));
    SplittableRandom rng = new SplittableRandom(2);
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    for (String name : new String[] {"image", "text"}) {
      float[] f = new float[60 * 16];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) rng.nextGaussian();
      }
      m.put(name, new FloatMatrix(60, 16, f));
    }
    new ItemFeatures(m, Map.of()).write(tmp.resolve("raw"));
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      code = Main.execute("pretrain", "cpmm", "--data", tmp.resolve("data/shop.inter").toString(),
          "--features", tmp.resolve("raw").toString(), "--set", "epochs=2", "--set", "dim=8",
          "--set", "batch_size=16", "--out", tmp.resolve("cpmm").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(0, code);
    ItemFeatures out = ItemFeatures.read(tmp.resolve("cpmm"));
    assertEquals(java.util.Set.of("image", "text", "id"), out.names());
    assertEquals(8, out.get("id").cols());
    assertEquals(60, out.get("id").rows());
    RunRecord r = RunRecord.read(tmp.resolve("cpmm"));
    assertEquals(2, ((Number) r.section("timing").get("epochs")).intValue());
    assertTrue(r.section("dataset").get("hash").toString().length() == 16);
    assertTrue(io.cliprec.models.train.Checkpoint.exists(tmp.resolve("cpmm/checkpoint")));

    // a killed run: its checkpoint (epoch 2) without features; --resume continues to epoch 3
    Path killed = tmp.resolve("killed");
    java.nio.file.Files.createDirectories(killed);
    try (var files = java.nio.file.Files.walk(tmp.resolve("cpmm/checkpoint"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = killed.resolve("checkpoint").resolve(tmp.resolve("cpmm/checkpoint").relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(to);
        } else {
          java.nio.file.Files.copy(p, to);
        }
      }
    }
    try {
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      code = Main.execute("pretrain", "cpmm", "--data", tmp.resolve("data/shop.inter").toString(),
          "--features", tmp.resolve("raw").toString(), "--set", "epochs=3", "--set", "dim=8",
          "--set", "batch_size=16", "--resume", "--out", killed.toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(0, code);
    RunRecord resumed = RunRecord.read(killed);
    assertEquals(3, ((Number) resumed.section("timing").get("epochs")).intValue());
    assertEquals(2, ((Number) resumed.section("timing").get("resumed_after_epoch")).intValue());
    assertEquals(60, ItemFeatures.read(killed).get("id").rows());
  }
}
