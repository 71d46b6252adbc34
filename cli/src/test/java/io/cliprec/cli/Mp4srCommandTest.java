package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain mp4sr → train --model mp4sr --pretrained, through the command line, on tiny sequences. */
class Mp4srCommandTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static final String[] SMALL = {"--set", "hidden_size=8", "--set", "inner_size=16", "--set",
      "n_exps=2", "--set", "max_seq_length=6", "--set", "epochs=2", "--set", "train_batch_size=32", "--set",
      "threads=1"};

  static String[] args(String[] head, String... more) {
    String[] out = new String[head.length + SMALL.length + more.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(SMALL, 0, out, head.length, SMALL.length);
    System.arraycopy(more, 0, out, head.length + SMALL.length, more.length);
    return out;
  }

  @Test
  void pretrainThenFinetuneWritesRunJsonWithColdStartMetrics(@TempDir Path tmp) throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    int items = 25;
    StringBuilder seq = new StringBuilder();
    for (int u = 1; u <= 40; u++) {
      seq.append(u);
      int start = rng.nextInt(items);
      for (int k = 0, n = 5 + rng.nextInt(4); k < n; k++) {
        seq.append(' ').append(1 + (start + 3 * k) % items);
      }
      seq.append('\n');
    }
    Path data = tmp.resolve("seq.txt");
    Files.writeString(data, seq);
    Map<String, FloatMatrix> m = new LinkedHashMap<>();
    for (String name : new String[] {"image", "text"}) {
      float[] f = new float[items * 6];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) rng.nextGaussian();
      }
      m.put(name, new FloatMatrix(items, 6, f));
    }
    new ItemFeatures(m, Map.of()).write(tmp.resolve("feat"));

    CliRun pre = CliRun.run(args(new String[] {"pretrain", "mp4sr", "--data", data.toString(), "--format",
        "seq", "--features", tmp.resolve("feat").toString(), "--out", tmp.resolve("pre").toString()}));
    assertEquals(0, pre.code(), pre.err());
    assertTrue(pre.err().contains("seq/s"), "throughput in the progress log: " + pre.err());
    assertTrue(Files.isRegularFile(tmp.resolve("pre/mp4sr.json")));
    assertTrue(Files.isRegularFile(tmp.resolve("pre/checkpoint/LATEST")));
    RunRecord pr = RunRecord.read(tmp.resolve("pre"));
    assertEquals(2, ((Number) pr.section("timing").get("epochs")).intValue());
    assertTrue(((Number) pr.section("timing").get("sequences_per_second")).doubleValue() > 0);

    CliRun ft = CliRun.run(args(new String[] {"train", "--model", "mp4sr", "--data", data.toString(),
        "--format", "seq", "--features", tmp.resolve("feat").toString(), "--pretrained",
        tmp.resolve("pre").toString(), "--out", tmp.resolve("run").toString(), "--quiet"}));
    assertEquals(0, ft.code(), ft.err());
    RunRecord r = RunRecord.read(tmp.resolve("run"));
    assertTrue(r.section("config").get("pretrained").toString().endsWith("pre"));
    double hr = r.metric("test", "HR@10");
    assertTrue(hr >= 0 && hr <= 1);
    double cases = r.metric("test", "cold@5/users");
    assertTrue(cases >= 0 && cases <= 40, "cold cases " + cases);
    assertTrue(ft.out().contains("cold@5"), ft.out());
    // the run's bundle answers sessions with MP4SR's own encoder, not the fallback
    io.cliprec.serve.bundle.Bundle b = io.cliprec.serve.bundle.Bundle.load(tmp.resolve("run/bundle"));
    assertEquals("mp4sr", b.sessionEncoder().method());
    assertEquals(b.itemFactors().cols(), b.sessionEncoder().dim());
  }
}
