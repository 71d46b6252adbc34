package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.synth.SyntheticShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CTR models through {@code cliprec train} and {@code cliprec experiment}. */
class CtrCliTest {
  private static final String SMALL = "--set=embedding_size=8";

  /** CPMM-layout CTR files: label 1 iff user and item share a group (id % 3), class = item % 4. */
  static Path ctrFiles(Path dir) throws Exception {
    Files.createDirectories(dir);
    SplittableRandom rng = new SplittableRandom(3L);
    for (String part : new String[] {"train", "test"}) {
      StringBuilder sb = new StringBuilder("user_id,item_id,class,reviewTime,overall\n");
      int rows = part.equals("train") ? 1200 : 300;
      for (int k = 0; k < rows; k++) {
        int u = 1 + rng.nextInt(60);
        int i = 1 + rng.nextInt(30);
        sb.append(u).append(',').append(i).append(',').append(i % 4).append(",2014-01-0")
            .append(1 + rng.nextInt(9)).append(',').append(u % 3 == i % 3 ? 1 : 0).append('\n');
      }
      Files.writeString(dir.resolve(part + "_set_Toy_CTR.csv"), sb.toString());
    }
    return dir;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> json, String... keys) {
    Map<String, Object> m = json;
    for (String k : keys) {
      m = (Map<String, Object>) m.get(k);
    }
    return m;
  }

  @Test
  @SuppressWarnings("unchecked")
  void trainWritesAucAndLogLoss(@TempDir Path tmp) throws Exception {
    Path data = ctrFiles(tmp.resolve("ctr"));
    Path runDir = tmp.resolve("run");
    String[] args = {"train", "--model", "xdeepfm", "--data", data.toString(), "--seed", "7",
        "--set", "epochs=3", SMALL, "--set", "cin_layer_size=[8,8]", "--set", "mlp_hidden_size=[16]",
        "--out", runDir.toString(), "--quiet"};
    CliRun t = CliRun.run(args);
    assertEquals(0, t.code(), t.err());
    Map<String, Object> json = new ObjectMapper().readValue(runDir.resolve("run.json").toFile(), Map.class);
    Map<String, Object> test = section(json, "metrics", "test");
    Map<String, Object> valid = section(json, "metrics", "valid");
    assertEquals(java.util.Set.of("AUC", "LogLoss"), test.keySet());
    assertTrue(valid.containsKey("AUC") && valid.containsKey("LogLoss"), valid.toString());
    double auc = ((Number) test.get("AUC")).doubleValue();
    assertTrue(auc > 0 && auc < 1, "AUC " + auc);
    Map<String, Object> ds = section(json, "dataset");
    assertEquals("CTR", ds.get("protocol"));
    // CPMM's files have no validation rows: half of the test file (seeded) becomes VALID
    assertEquals("valid_from_test", ds.get("ctr_split"));
    assertEquals(150, ((Number) ds.get("valid")).intValue());
    assertEquals(150, ((Number) ds.get("test")).intValue());
    assertEquals(3, ((Number) section(json, "timing").get("epochs")).intValue());
    assertTrue(Files.exists(runDir.resolve("model/params.npy")));
    assertFalse(Files.exists(runDir.resolve("bundle")), "CTR runs do not write a ranking bundle");
    assertTrue(t.out().contains("AUC"), t.out());
    // every epoch was checkpointed; --resume of the finished run trains nothing and ends with the same model
    assertTrue(Files.exists(runDir.resolve("checkpoint/LATEST")));
    String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
    resume[args.length] = "--resume";
    CliRun r = CliRun.run(resume);
    assertEquals(0, r.code(), r.err());
    Map<String, Object> again = new ObjectMapper().readValue(runDir.resolve("run.json").toFile(), Map.class);
    assertEquals(test, section(again, "metrics", "test"));
    String log = Files.readString(runDir.resolve("train.log"));
    assertFalse(log.substring(log.indexOf("[resume]")).contains("epoch "), log);
  }

  @Test
  @SuppressWarnings("unchecked")
  void implicitDataGetsTheNegativeSamplingSplit(@TempDir Path tmp) throws Exception {
    SyntheticShop.generate(80, 40, 8, 5).write(tmp.resolve("data"));
    Path inter = tmp.resolve("data/shop.inter");
    Path runDir = tmp.resolve("run");
    CliRun t = CliRun.run("train", "--model", "deepfm", "--data", inter.toString(), "--set", "epochs=2",
        SMALL, "--set", "mlp_hidden_size=[16]", "--set", "ctr.negatives=2", "--out", runDir.toString(),
        "--quiet");
    assertEquals(0, t.code(), t.err());
    Map<String, Object> json = new ObjectMapper().readValue(runDir.resolve("run.json").toFile(), Map.class);
    Map<String, Object> ds = section(json, "dataset");
    assertEquals("negative_sampling", ds.get("ctr_split"));
    assertEquals("2", ds.get("ctr.negatives"));
    int validRows = ((Number) ds.get("valid")).intValue();
    assertEquals(0, validRows % 3, "every valid positive has 2 negatives: " + validRows);
    assertTrue(section(json, "metrics", "test").containsKey("LogLoss"));
  }

  @Test
  void experimentSelectsCtrModelsOnValidAuc(@TempDir Path tmp) throws Exception {
    Path data = ctrFiles(tmp.resolve("ctr"));
    Path cfg = tmp.resolve("exp.yaml");
    Files.writeString(cfg, "data: " + data + "\nseeds: [1, 2]\nset: {epochs: 2, embedding_size: 8, "
        + "mlp_hidden_size: [16], cin_layer_size: [8, 8]}\nmodels:\n  xdeepfm: {grid: {learning_rate: "
        + "[0.001, 0.01]}}\n");
    CliRun r = CliRun.run("experiment", "--config", cfg.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    String md = Files.readString(tmp.resolve("out/results.md"));
    assertTrue(md.contains("AUC") && md.contains("LogLoss"), md);
    assertTrue(r.out().contains("valid AUC"), r.out());
    String json = Files.readString(tmp.resolve("out/results.json"));
    assertTrue(json.contains("\"select\" : \"AUC\""), json);
    assertTrue(json.contains("valid_AUC"), json);
  }
}
