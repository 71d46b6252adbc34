package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.synth.SyntheticShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {
  @Test
  void gridIsTheCartesianProduct() {
    Map<String, Object> grid = new LinkedHashMap<>();
    grid.put("a", List.of(1, 2));
    grid.put("b", List.of("x", "y", "z"));
    List<Map<String, Object>> pts = ExperimentCommand.gridPoints(grid);
    assertEquals(6, pts.size());
    assertEquals(Map.of("a", 2, "b", "z"), pts.get(5));
    assertEquals("a=1,b=x", ExperimentCommand.slug(pts.get(0)));
    assertEquals(List.of(Map.of()), ExperimentCommand.gridPoints(Map.of()));
    assertEquals("default", ExperimentCommand.slug(Map.of()));
  }

  @Test
  void meanAndSampleStd() {
    double[] ms = ExperimentTable.meanStd(new double[] {1, 2, 3, 4});
    assertEquals(2.5, ms[0], 1e-12);
    assertEquals(Math.sqrt(5.0 / 3.0), ms[1], 1e-12);
    assertEquals(0, ExperimentTable.meanStd(new double[] {7})[1]);
  }

  private static io.cliprec.core.run.RunRecord ctrRun(long seed, double validLogLoss, double auc,
      double logLoss) {
    return new io.cliprec.core.run.RunRecord("deepfm", seed)
        .metrics("valid", Map.of("AUC", 0.7, "LogLoss", validLogLoss))
        .metrics("test", Map.of("AUC", auc, "LogLoss", logLoss));
  }

  @Test
  void lowerIsBetterMetricsGainWhenTheyFallAndSelectTheMinimum() {
    Map<ExperimentCommand.Cell, io.cliprec.core.run.RunRecord> runs = new LinkedHashMap<>();
    runs.put(new ExperimentCommand.Cell("deepfm", "none", "default", Map.of(), 1), ctrRun(1, 0.7, 0.60, 0.70));
    // two grid points: the one with the lower validation LogLoss must be chosen
    runs.put(new ExperimentCommand.Cell("deepfm", "raw", "lr=1", Map.of(), 1), ctrRun(1, 0.9, 0.90, 0.90));
    runs.put(new ExperimentCommand.Cell("deepfm", "raw", "lr=2", Map.of(), 1), ctrRun(1, 0.5, 0.66, 0.56));
    List<Map<String, Object>> rows =
        ExperimentTable.of(runs, List.of("AUC", "LogLoss"), m -> "LogLoss").rows();
    assertEquals("lr=2", rows.get(1).get("point"));
    assertEquals(0.1, (Double) rows.get(1).get("AUC_gain"), 1e-12); // 0.60 -> 0.66: +10 %
    assertEquals(0.2, (Double) rows.get(1).get("LogLoss_gain"), 1e-12); // 0.70 -> 0.56: 20 % lower = +20 %
  }

  private static String run(String... args) {
    CliRun r = CliRun.run(args);
    assertEquals(0, r.code(), r.err());
    return r.out();
  }

  @Test
  void runsTheGridSelectsOnValidAndResumes(@TempDir Path tmp) throws Exception {
    SyntheticShop shop = SyntheticShop.generate(200, 80, 12, 11);
    shop.write(tmp.resolve("data"));
    SplittableRandom rng = new SplittableRandom(1);
    float[] f = new float[80 * 8];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rng.nextGaussian();
    }
    new ItemFeatures(Map.of("image", new FloatMatrix(80, 8, f)), Map.of("made_by", "test"))
        .write(tmp.resolve("feats"));
    Path yaml = tmp.resolve("exp.yaml");
    Files.writeString(yaml, String.join("\n",
        "data: data/shop.inter",
        "format: mmrec",
        "out: " + tmp.resolve("out"),
        "seeds: [1, 2]",
        "metrics: [Recall@20, NDCG@20]",
        "features: {rand: feats}",
        "set: {epochs: 2}",
        "models:",
        "  bpr: {features: [none, rand], grid: {learning_rate: [0.001, 0.01]}}",
        ""));
    String out = run("experiment", "--config", yaml.toString());
    assertTrue(out.contains("8 runs"), out);
    List<String> csv = Files.readAllLines(tmp.resolve("out/results.csv"));
    assertEquals(3, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(1).startsWith("bpr,none,"), csv.get(1));
    assertTrue(csv.get(2).startsWith("bpr,rand,"), csv.get(2));
    assertTrue(Files.exists(tmp.resolve("out/bpr/rand/learning_rate=0.01/seed-2/run.json")));
    // the selected point is the one with the best mean validation Recall@20
    var rows = new ExperimentTableReader(tmp.resolve("out/results.json")).rows();
    for (Map<String, Object> r : rows) {
      double best = Double.NEGATIVE_INFINITY;
      for (String lr : List.of("0.001", "0.01")) {
        double s = 0;
        for (int seed = 1; seed <= 2; seed++) {
          s += io.cliprec.core.run.RunRecord.read(tmp.resolve("out/bpr/" + r.get("features")
              + "/learning_rate=" + lr + "/seed-" + seed)).metric("valid", "Recall@20");
        }
        best = Math.max(best, s / 2);
      }
      assertEquals(best, ((Number) r.get("valid_Recall@20")).doubleValue(), 1e-12);
    }
    assertNull(rows.get(0).get("Recall@20_gain"));
    assertTrue(rows.get(1).get("Recall@20_gain") instanceof Number);
    // second invocation: nothing is retrained
    String again = run("experiment", "--config", yaml.toString());
    assertEquals(8, again.split("done earlier", -1).length - 1, again);
    assertFalse(again.contains("epochs ("), again);
  }

  @Test
  void featureSetsNameTheirFilesAndCarryConfig(@TempDir Path tmp) throws Exception {
    SyntheticShop shop = SyntheticShop.generate(200, 80, 12, 11);
    shop.write(tmp.resolve("data"));
    SplittableRandom rng = new SplittableRandom(1);
    float[] f = new float[80 * 6];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rng.nextGaussian();
    }
    Files.createDirectories(tmp.resolve("lfm"));
    io.cliprec.core.features.Npy.write(tmp.resolve("lfm/whisper.npy"), new FloatMatrix(80, 6, f));
    Path yaml = tmp.resolve("exp.yaml");
    Files.writeString(yaml, String.join("\n",
        "data: data/shop.inter",
        "format: mmrec",
        "out: " + tmp.resolve("out"),
        "features:",
        "  audio-small: {files: {audio: lfm/whisper.npy}, set: {embedding_size: 4}}",
        "set: {epochs: 1}",
        "models:",
        "  vbpr: {features: [audio-small]}",
        ""));
    run("experiment", "--config", yaml.toString());
    var r = io.cliprec.core.run.RunRecord.read(tmp.resolve("out/vbpr/audio-small/default/seed-999"));
    assertEquals(4, ((Number) r.section("config").get("embedding_size")).intValue());
    Map<?, ?> feats = (Map<?, ?>) r.section("features");
    assertEquals(List.of("audio"), feats.get("modalities"));
    assertEquals(tmp.resolve("lfm/whisper.npy").toString(),
        ((Map<?, ?>) ((Map<?, ?>) feats.get("provenance")).get("source")).get("audio"));
    Files.writeString(yaml, Files.readString(yaml).replace("files:", "filez:"));
    CliRun bad = CliRun.run("experiment", "--config", yaml.toString());
    assertTrue(bad.code() != 0 && bad.err().contains("unknown key 'filez'"), bad.err());
  }

  /** Reads results.json. */
  private record ExperimentTableReader(Path file) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows() throws java.io.IOException {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), List.class);
    }
  }
}
