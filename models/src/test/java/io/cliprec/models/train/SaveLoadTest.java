package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.models.Models;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadTest {
  @Test
  void npyRoundTripWithNumpyHeader(@TempDir Path tmp) throws IOException {
    float[] data = {1f, -2.5f, 3f, Float.NaN, 0f, 7f};
    Path f = tmp.resolve("a.npy");
    Npy.write(f, new int[] {2, 3}, data);
    byte[] raw = Files.readAllBytes(f);
    assertEquals(0, (raw.length - data.length * 4) % 64, "header padded to 64 bytes like numpy");
    String header = new String(raw, 10, raw.length - 10 - 24, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("(2, 3)"), header);
    FloatMatrix m = Npy.readMatrix(f);
    assertEquals(2, m.rows());
    assertEquals(3, m.cols());
    assertArrayEquals(data, m.data());
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temp files left behind");
    }
  }

  @Test
  void modelRoundTripAndFormatChecks(@TempDir Path tmp) throws IOException {
    TrainingHistory h = new TrainingHistory(2, 1, 0.5, "Recall@20", List.of(0.69, 0.6),
        List.of(0.5, Double.NaN), List.of(1.0, 1.1), List.of(0.2, 0.0), false);
    FactorModel m = new FactorModel("bpr", Config.of(Map.of("reg_weight", 1e-4)), h,
        new FloatMatrix(2, 2, new float[] {1, 0, 0, 1}), new FloatMatrix(3, 2, new float[] {1, 2, 3, 4, 5,
            6}));
    m.save(tmp.resolve("m"));
    TrainedModel back = Models.load(tmp.resolve("m"));
    assertEquals(h, back.history());
    assertArrayEquals(m.itemFactors().data(), back.itemFactors().data());
    float[] out = new float[3];
    back.score(new int[] {1}, Split.TEST, out);
    assertArrayEquals(new float[] {2, 4, 6}, out);

    Path meta = tmp.resolve("m/model.json");
    String json = Files.readString(meta);
    Files.writeString(meta, json.replace("\"version\" : 1", "\"version\" : 99"));
    IOException e = assertThrows(IOException.class, () -> Models.load(tmp.resolve("m")));
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    Files.writeString(meta, json.replace(FactorModel.FORMAT, "something-else"));
    e = assertThrows(IOException.class, () -> Models.load(tmp.resolve("m")));
    assertTrue(e.getMessage().contains("unknown model format"), e.getMessage());
  }
}
