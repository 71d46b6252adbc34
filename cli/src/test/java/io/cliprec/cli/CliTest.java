package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.synth.SyntheticShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs of the command line on small synthetic data. */
class CliTest {
  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] cmd : new String[][] {
      {"--help"}, {"quickstart", "--help"}, {"train", "--help"}, {"evaluate", "--help"},
      {"recommend", "--help"}, {"data", "--help"}, {"data", "inspect", "--help"}, {"models", "--help"}
    }) {
      CliRun r = run(cmd);
      assertEquals(0, r.code(), String.join(" ", cmd) + ": " + r.err());
      assertTrue(r.out().contains("Usage:"), String.join(" ", cmd));
    }
  }

  @Test
  void trainEvaluateRecommendInspectOnAnMmrecFile(@TempDir Path tmp) throws Exception {
    SyntheticShop.generate(300, 120, 15, 5).write(tmp.resolve("data"));
    Path inter = tmp.resolve("data/shop.inter");
    Path runDir = tmp.resolve("run");
    CliRun t = run("train", "--model", "bpr", "--data", inter.toString(), "--set", "epochs=5",
        "--seed", "7", "--out", runDir.toString(), "--quiet");
    assertEquals(0, t.code(), t.err());
    @SuppressWarnings("unchecked")
    Map<String, Object> json = new ObjectMapper().readValue(runDir.resolve("run.json").toFile(), Map.class);
    for (String key : new String[] {"model", "dataset", "config", "seed", "versions", "metrics", "timing"}) {
      assertTrue(json.containsKey(key), "run.json lacks " + key);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> test = (Map<String, Object>) ((Map<String, Object>) json.get("metrics")).get("test");
    for (String m : new String[] {"Recall@10", "Recall@20", "NDCG@10", "NDCG@20"}) {
      assertTrue(test.containsKey(m), m);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> timing = (Map<String, Object>) json.get("timing");
    assertEquals(5, ((Number) timing.get("epochs")).intValue());
    assertTrue(Files.exists(runDir.resolve("train.log")));
    assertTrue(Files.exists(runDir.resolve("bundle/manifest.json")), "train writes a servable bundle");
    assertEquals(300, io.cliprec.serve.bundle.Bundle.load(runDir.resolve("bundle")).users().size());

    CliRun again = run("train", "--model", "bpr", "--data", inter.toString(), "--out", runDir.toString());
    assertEquals(2, again.code(), "refuses to overwrite a finished run");
    assertTrue(again.err().contains("already holds"), again.err());

    CliRun ev = run("evaluate", "--run", runDir.toString(), "--json");
    assertEquals(0, ev.code(), ev.err());
    @SuppressWarnings("unchecked")
    Map<String, Object> evm = new ObjectMapper().readValue(ev.out(), Map.class);
    assertEquals(((Number) test.get("Recall@20")).doubleValue(),
        ((Number) evm.get("Recall@20")).doubleValue(), 1e-9, "evaluate reproduces run.json");

    CliRun rec = run("recommend", "--run", runDir.toString(), "--user", "0", "--k", "5");
    assertEquals(0, rec.code(), rec.err());
    String[] lines = rec.out().strip().split("\n");
    assertEquals(6, lines.length, rec.out());
    assertTrue(lines[1].startsWith("0\t1\t"), lines[1]);

    CliRun unknown = run("recommend", "--run", runDir.toString(), "--user", "nobody");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown user id 'nobody'"), unknown.err());

    CliRun ins = run("data", "inspect", inter.toString());
    assertEquals(0, ins.code(), ins.err());
    assertTrue(ins.out().contains("300"), ins.out());
  }

  @Test
  void badModelAndBadDataGiveOneLineErrors(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.inter");
    Files.writeString(bad, "userID\titemID\tx_label\n0\t1\t0\n0\tx\t2\n");
    CliRun r = run("train", "--model", "bpr", "--data", bad.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad.inter:3"), r.err());
    CliRun m = run("train", "--model", "nope", "--data", bad.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(2, m.code());
    assertTrue(m.err().contains("unknown model 'nope'"), m.err());
  }

  @Test
  void quickstartPrintsTheTable(@TempDir Path tmp) {
    CliRun r = run("quickstart", "--out", tmp.toString(), "--users", "200", "--items", "100",
        "--max-epochs", "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("synthetic shop"), r.out());
    assertTrue(r.out().contains("bpr") && r.out().contains("lightgcn"), r.out());
    assertTrue(Files.exists(tmp.resolve("results.md")));
  }
}
