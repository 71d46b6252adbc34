package io.cliprec.models.ctr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.KillAndResume;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainingHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeepFM / xDeepFM stopped half-way and resumed end bit-identical to the uninterrupted run: same loss and
 * validation history, same best epoch, same predictions (dropout on, so PyTorch's generator matters).
 */
class CtrResumeTest {
  static {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static final Dataset DATA = CtrTestData.labelled(100, 30, 3, 12, 0.05, 0, 13L);
  private static final int EPOCHS = 4;

  private static TrainContext context(CtrRecommender r, int epochs, ItemFeatures f) {
    // xDeepFM: a linear 1-unit MLP output, so that dropout reaches the logits (at these sizes the
    // ReLU'd output can die, and the test would then not see the dropout masks at all)
    Config c = CtrRecommenderTest.cfg(r, Map.of("epochs", epochs, "dropout_prob", 0.2,
        "embedding_size", 8, "train_batch_size", 64, "mlp_output_relu", false));
    return TrainContext.of(DATA, c).withSeed(9L).withItemFeatures(f);
  }

  /**
   * {@code fitCtr} as in a new process: PyTorch's global generator is set to an unrelated state first
   * (within one JVM it would otherwise carry on from the killed run and hide a missing re-seed).
   */
  private static CtrModel fitInNewProcess(CtrRecommender r, TrainContext ctx) {
    Engine.getEngine("PyTorch").setRandomSeed(12345);
    return r.fitCtr(ctx);
  }

  private static void assertSameRun(CtrModel full, CtrModel resumed) {
    TrainingHistory a = full.history();
    TrainingHistory b = resumed.history();
    assertEquals(a.loss(), b.loss());
    assertEquals(a.valid(), b.valid());
    assertEquals(a.bestEpoch(), b.bestEpoch());
    assertEquals(a.epochsRun(), b.epochsRun());
    assertEquals(a.stoppedEarly(), b.stoppedEarly());
    assertArrayEquals(CtrRecommenderTest.predict(full, DATA, Split.TEST),
        CtrRecommenderTest.predict(resumed, DATA, Split.TEST));
  }

  /** DeepFM killed after epoch 2 of 4 continues at epoch 3; a finished run resumes without training. */
  @Test
  void deepFmKilledAndResumedEndsIdentical(@TempDir Path tmp) {
    CtrRecommender r = (CtrRecommender) ModelRegistry.get("deepfm");
    TrainContext base = context(r, EPOCHS, null);
    CtrModel full = r.fitCtr(base);
    assertEquals(EPOCHS, full.history().epochsRun());

    Path ckpt = tmp.resolve("ckpt");
    List<Integer> epochs = new ArrayList<>();
    CtrModel resumed = KillAndResume.run(c -> fitInNewProcess(r, c), base, ckpt, EPOCHS / 2,
        epochs);
    assertEquals(List.of(3, 4), epochs);
    assertSameRun(full, resumed);

    List<Integer> none = new ArrayList<>();
    CtrModel again = r.fitCtr(base.withCheckpoints(ckpt, true).withListener(rep -> none.add(rep.epoch())));
    assertEquals(List.of(), none);
    assertSameRun(full, again);
    // another seed, model or network size is refused
    assertThrows(IllegalArgumentException.class, () -> r.fitCtr(base.withSeed(10L)
        .withCheckpoints(ckpt, true)));
    CtrRecommender x = (CtrRecommender) ModelRegistry.get("xdeepfm");
    assertThrows(IllegalArgumentException.class, () -> x.fitCtr(context(x, EPOCHS, null)
        .withCheckpoints(ckpt, true)));
  }

  /**
   * xDeepFM with a projected feature plug-in (a frozen table in the parameters) trained for 2 epochs,
   * then resumed with {@code epochs: 4}, equals a straight 4-epoch run; resuming without a checkpoint is
   * a fresh run.
   */
  @Test
  void xDeepFmExtendedFromTwoToFourEpochsEndsIdentical(@TempDir Path tmp) {
    CtrRecommender r = (CtrRecommender) ModelRegistry.get("xdeepfm");
    ItemFeatures f = CtrTestData.groupFeatures(30, 3, 12, 2L);
    CtrModel full = r.fitCtr(context(r, EPOCHS, f));

    Path ckpt = tmp.resolve("ckpt");
    CtrModel half = r.fitCtr(context(r, EPOCHS / 2, f).withCheckpoints(ckpt, false));
    assertEquals(full.history().loss().subList(0, EPOCHS / 2), half.history().loss());
    CtrModel resumed = fitInNewProcess(r, context(r, EPOCHS, f).withCheckpoints(ckpt, true));
    assertSameRun(full, resumed);

    CtrModel fresh = r.fitCtr(context(r, EPOCHS, f).withCheckpoints(tmp.resolve("other"), true));
    assertSameRun(full, fresh); // resume without a checkpoint is a fresh run
  }
}
