package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.synth.SyntheticShop;
import io.cliprec.serve.Scored;
import io.cliprec.serve.ServingIndex;
import io.cliprec.serve.bundle.Bundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cliprec bundle} and {@code cliprec serve} from the command line. */
class ServeCommandTest {
  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void bundleOfATrainedRunServesWhatRecommendPrints(@TempDir Path tmp) throws Exception {
    SyntheticShop.generate(200, 80, 12, 3).write(tmp.resolve("data"));
    Path runDir = tmp.resolve("run");
    CliRun t = run("train", "--model", "bpr", "--data", tmp.resolve("data/shop.inter").toString(),
        "--set", "epochs=2", "--seed", "1", "--out", runDir.toString(), "--quiet");
    assertEquals(0, t.code(), t.err());
    Path b = tmp.resolve("bundle");
    CliRun r = run("bundle", "--run", runDir.toString(), "--out", b.toString());
    assertEquals(0, r.code(), r.err());
    CliRun again = run("bundle", "--run", runDir.toString(), "--out", b.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("not empty"), again.err());

    Bundle bundle = Bundle.load(b);
    assertEquals("bpr", bundle.modelName());
    ServingIndex index = new ServingIndex(bundle, 100);
    for (String user : List.of("0", "7", "42")) {
      CliRun rec = run("recommend", "--run", runDir.toString(), "--user", user, "--k", "8");
      assertEquals(0, rec.code(), rec.err());
      List<String> want = new ArrayList<>();
      for (String line : rec.out().strip().split("\n")) {
        if (!line.startsWith("user")) {
          want.add(line.split("\t")[2]);
        }
      }
      assertEquals(want, index.forUser(user, 8, true).stream().map(Scored::item).toList(), user);
    }
  }

  @Test
  void serveFailsClearlyOnABadBundleOrTokenFile(@TempDir Path tmp) throws Exception {
    CliRun r = run("serve", "--bundle", tmp.toString(), "--port", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is not a cliprec bundle"), r.err());
    java.nio.file.Files.writeString(tmp.resolve("token"), "  \n");
    r = run("serve", "--bundle", tmp.toString(), "--token-file", tmp.resolve("token").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("token must be one line"), r.err());
    assertEquals(0, run("serve", "--help").code());
    assertEquals(0, run("bundle", "--help").code());
  }
}
