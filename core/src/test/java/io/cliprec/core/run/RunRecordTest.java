package io.cliprec.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.synth.SyntheticShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordTest {
  @Test
  void roundTripKeepsContractKeys(@TempDir Path dir) throws Exception {
    RunRecord r = new RunRecord("bpr", 42)
        .dataset(SyntheticShop.generate(30, 20, 6, 1).dataset())
        .config(Map.of("embedding_size", 64))
        .metrics("valid", Map.of("Recall@20", 0.25))
        .metrics("test", Map.of("Recall@20", 0.2, "NDCG@20", 0.1))
        .timing("epochs", 3)
        .timing("train_seconds_per_epoch", 0.5);
    r.write(dir);
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp file left behind");
    }
    RunRecord back = RunRecord.read(dir);
    assertEquals("bpr", back.get("model"));
    assertEquals(0.2, back.metric("test", "Recall@20"), 0);
    assertTrue(Double.isNaN(back.metric("test", "MRR@5")));
    assertEquals(42, ((Number) back.get("seed")).intValue());
    assertTrue(back.section("dataset").get("hash").toString().length() == 16);
    assertTrue(back.section("versions").containsKey("java"));
  }
}
