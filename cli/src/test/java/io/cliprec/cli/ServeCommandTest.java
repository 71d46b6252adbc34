package io.cliprec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.synth.SyntheticShop;
import io.cliprec.serve.http.RecommendationServer;
import io.cliprec.serve.http.ServeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  /**
   * An ID-only run gets an encoder through {@code bundle --features}: from a {@code cliprec encode}
   * directory (manifest), or declared with {@code --text-model minilm --text-fields} for bare .npy features;
   * the encode route then finds a catalog item from its own fields.
   */
  @Test
  void bundleFeaturesAttachesAnEncoderToAnIdOnlyRun(@TempDir Path tmp) throws Exception {
    SyntheticShop.generate(120, 40, 8, 5).write(tmp.resolve("data"));
    Path inter = tmp.resolve("data/shop.inter");
    Path runDir = tmp.resolve("run");
    CliRun t = run("train", "--model", "bpr", "--data", inter.toString(), "--set", "epochs=1", "--seed", "1",
        "--out", runDir.toString(), "--quiet");
    assertEquals(0, t.code(), t.err());
    assertEquals(false, Bundle.load(runDir.resolve("bundle")).hasEncoder());
    Path feats = tmp.resolve("feats");
    CliRun e = run("encode", "--catalog", tmp.resolve("data/shop_items.tsv").toString(), "--id-field",
        "item_index", "--text-fields", "title,brand", "--text-model", "minilm", "--views", "raw", "--data",
        inter.toString(), "--threads", "1", "--out", feats.toString());
    assertEquals(0, e.code(), e.err());

    Path b1 = tmp.resolve("b1");
    CliRun r = run("bundle", "--run", runDir.toString(), "--features", feats.toString(), "--out", b1.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("minilm", Bundle.load(b1).encoder().get("type"));

    // bare features (no manifest): the encoder is declared on the command line
    Path plain = tmp.resolve("plain");
    java.nio.file.Files.createDirectories(plain);
    java.nio.file.Files.copy(feats.resolve("text_feat.npy"), plain.resolve("text_feat.npy"));
    Path b2 = tmp.resolve("b2");
    r = run("bundle", "--run", runDir.toString(), "--features", plain.toString(), "--text-model", "minilm",
        "--text-fields", "title,brand", "--out", b2.toString());
    assertEquals(0, r.code(), r.err());
    Bundle bundle = Bundle.load(b2);
    assertEquals("minilm", bundle.encoder().get("type"));
    assertEquals("raw", bundle.encoder().get("view_mode"));
    assertEquals(List.of("title", "brand"), bundle.encoder().get("text_fields"));

    List<String> lines = java.nio.file.Files.readAllLines(tmp.resolve("data/shop_items.tsv"));
    List<String> head = List.of(lines.get(0).split("\t", -1));
    String[] row = lines.get(8).split("\t", -1);
    String id = row[head.indexOf("item_index")];
    String body = "{\"fields\": {\"title\": \"" + row[head.indexOf("title")] + "\", \"brand\": \""
        + row[head.indexOf("brand")] + "\"}, \"k\": 3}";
    try (RecommendationServer server = new RecommendationServer(new ServingIndex(bundle, 50),
        ServeOptions.defaults().withPort(0).withThreads(2)).start()) {
      HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/v1/items/encode"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode(), res.body());
      JsonNode first = new ObjectMapper().readTree(res.body()).get("similar_items").get(0);
      assertEquals(id, first.get("item").asText(), res.body());
      assertEquals(1.0, first.get("score").asDouble(), 1e-4, res.body());
    }

    // errors: options without --features, a declared encoder over an encode directory, a width mismatch
    r = run("bundle", "--run", runDir.toString(), "--text-model", "minilm", "--out", tmp.resolve("x1").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--features"), r.err());
    r = run("bundle", "--run", runDir.toString(), "--features", feats.toString(), "--text-model", "minilm",
        "--text-fields", "title", "--out", tmp.resolve("x2").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("manifest.json records the encoder"), r.err());
    Path narrow = tmp.resolve("narrow");
    io.cliprec.core.features.Npy.write(narrow.resolve("text_feat.npy"),
        new io.cliprec.core.features.FloatMatrix(bundle.items().size(), 5));
    r = run("bundle", "--run", runDir.toString(), "--features", narrow.toString(), "--text-model", "minilm",
        "--text-fields", "title", "--out", tmp.resolve("x3").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("not made by this encoder"), r.err());
    r = run("bundle", "--run", runDir.toString(), "--features", plain.toString(), "--text-model", "minilm",
        "--out", tmp.resolve("x4").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--text-fields"), r.err());
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
