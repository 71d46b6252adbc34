package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TestData;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ModalitiesTest {
  private static final Dataset DATA = TestData.clustered(60, 4, 10, 6, 3L);
  private static final ItemFeatures FEATS = MmTestData.clusterFeatures(4, 10, 4L);

  @ParameterizedTest
  @ValueSource(strings = {"vbpr", "lattice", "freedom"})
  void needsFeaturesAndSaysSo(String name) {
    Recommender r = ModelRegistry.get(name);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.fit(TrainContext.of(DATA, Config.of(Map.of("epochs", 1)))));
    assertTrue(e.getMessage().contains(name + " needs item features"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> r.fit(TrainContext.of(DATA, Config.of(Map.of("epochs", 1, "modalities", "image,audio")))
            .withItemFeatures(FEATS)));
    assertTrue(e2.getMessage().contains("'audio'") && e2.getMessage().contains("[image, text]"),
        e2.getMessage());
  }

  @Test
  void selectsByListOrCommaString() {
    assertEquals(List.of("text"), List.copyOf(Modalities.select("m", FEATS,
        Config.of(Map.of("modalities", "text")), DATA).names()));
    assertEquals(List.of("text", "image"), List.copyOf(Modalities.select("m", FEATS,
        Config.of(Map.of("modalities", List.of("text", "image"))), DATA).names()));
    assertEquals(List.of("image", "text"), List.copyOf(Modalities.select("m", FEATS,
        Config.of(Map.of("modalities", List.of())), DATA).names()));
    assertThrows(RuntimeException.class, () -> Modalities.select("m", FEATS, Config.empty(),
        TestData.clustered(60, 4, 11, 6, 3L)), "row count mismatch");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vbpr", "lattice", "freedom"})
  void trainsOnOneModality(String name) {
    Recommender r = ModelRegistry.get(name);
    Config cfg = Config.of(Map.of("epochs", 2, "modalities", "text", "train_batch_size", 128,
        "threads", 1));
    TrainedModel m = r.fit(TrainContext.of(DATA, cfg).withItemFeatures(FEATS));
    assertEquals(2, m.history().epochsRun());
    assertTrue(Double.isFinite(TestData.recall(DATA, Split.TEST, m, 20)));
    assertEquals("text", String.valueOf(m.config().get("modalities")));
  }
}
