package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.models.KillAndResume;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TestData;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Killing training after epoch 3 and resuming gives exactly the uninterrupted run. */
class ResumeTest {
  @Test
  void resumeContinuesAtEpoch4AndEndsIdentical(@TempDir Path tmp) {
    Dataset data = TestData.clustered(120, 4, 15, 8, 9L);
    Recommender r = ModelRegistry.get("lightgcn");
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.01, "train_batch_size", 128,
        "epochs", 6, "threads", 2)));
    TrainContext base = TrainContext.of(data, cfg).withSeed(42).withValidator(TestData.naiveValidator());
    TrainedModel full = r.fit(base);

    KillAndResume.Result res = KillAndResume.run(r, base, tmp.resolve("ckpt"), 3);
    assertEquals(List.of(4, 5, 6), res.epochs());
    KillAndResume.assertSame(full, res.model());
  }

  @Test
  void resumeRejectsAnotherSeed(@TempDir Path tmp) {
    Dataset data = TestData.clustered(40, 2, 10, 6, 1L);
    Recommender r = ModelRegistry.get("bpr");
    Config cfg = r.defaults().merge(Config.of(Map.of("epochs", 1, "threads", 1)));
    TrainContext c = TrainContext.of(data, cfg).withValidator(TestData.naiveValidator())
        .withCheckpoints(tmp, true);
    r.fit(c.withSeed(1));
    assertThrows(IllegalArgumentException.class, () -> r.fit(c.withSeed(2)));
  }
}
