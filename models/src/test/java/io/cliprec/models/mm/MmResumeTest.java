package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TestData;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run stopped after 3 epochs and resumed to 6 ends with exactly the weights of a straight 6-epoch run. */
class MmResumeTest {
  private static final Dataset DATA = TestData.clustered(60, 4, 10, 6, 3L);
  private static final ItemFeatures FEATS = MmTestData.clusterFeatures(4, 10, 4L);

  private static TrainedModel fit(String name, int epochs, Path ckpt, boolean resume) {
    Recommender r = ModelRegistry.get(name);
    Config cfg = Config.of(Map.of("epochs", epochs, "train_batch_size", 64, "threads", 1,
        "reg_weight", 1e-3, "learning_rate", 0.01));
    return r.fit(TrainContext.of(DATA, cfg).withItemFeatures(FEATS).withSeed(5)
        .withCheckpoints(ckpt, resume));
  }

  @ParameterizedTest
  @ValueSource(strings = {"vbpr", "lattice", "freedom"})
  void resumeGivesTheSameModel(String name, @TempDir Path tmp) {
    TrainedModel straight = fit(name, 6, tmp.resolve("a"), false);
    fit(name, 3, tmp.resolve("b"), false);
    TrainedModel resumed = fit(name, 6, tmp.resolve("b"), true);
    assertEquals(6, resumed.history().epochsRun());
    assertEquals(straight.history().loss(), resumed.history().loss());
    assertEquals(straight.history().valid(), resumed.history().valid());
    assertEquals(straight.history().bestEpoch(), resumed.history().bestEpoch());
    assertArrayEquals(straight.userFactors(Split.TEST).data(), resumed.userFactors(Split.TEST).data());
    assertArrayEquals(straight.itemFactors().data(), resumed.itemFactors().data());
    // another model cannot resume from it
    String other = name.equals("vbpr") ? "freedom" : "vbpr";
    assertThrows(IllegalArgumentException.class, () -> fit(other, 6, tmp.resolve("b"), true));
  }
}
