package io.cliprec.models.seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.models.KillAndResume;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SASRec killed after epoch 2 and resumed ends bit-identical to the uninterrupted run (dropout on). */
class SasRecResumeTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  @Test
  void resumeContinuesAtEpoch3AndEndsIdentical(@TempDir Path tmp) {
    Dataset d = SasRecTest.cyclic(80, 20, 5L);
    Recommender r = ModelRegistry.get("sasrec");
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.01, "epochs", 4, "hidden_size", 16,
        "inner_size", 32, "max_seq_length", 8, "train_batch_size", 32, "threads", 1)));
    TrainContext base = TrainContext.of(d, cfg).withSeed(7);
    TrainedModel full = r.fit(base);

    Path ckpt = tmp.resolve("ckpt");
    KillAndResume.Result res = KillAndResume.run(r, base, ckpt, 2);
    assertEquals(List.of(3, 4), res.epochs());
    KillAndResume.assertSame(full, res.model());
    assertArrayEquals(full.userFactors(Split.VALID).data(), res.model().userFactors(Split.VALID).data());

    // a finished run resumes to the same model without training again
    List<Integer> none = new ArrayList<>();
    TrainedModel again = r.fit(base.withCheckpoints(ckpt, true).withListener(rep -> none.add(rep.epoch())));
    assertEquals(List.of(), none);
    assertArrayEquals(full.itemFactors().data(), again.itemFactors().data());
    // another seed or network size is refused
    assertThrows(IllegalArgumentException.class, () -> r.fit(base.withSeed(8).withCheckpoints(ckpt, true)));
    assertThrows(IllegalArgumentException.class, () -> r.fit(base.withConfig(cfg.merge(Config.of(
        Map.of("hidden_size", 8, "inner_size", 16)))).withCheckpoints(ckpt, true)));
  }
}
