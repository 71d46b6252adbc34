package io.cliprec.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.Split;
import io.cliprec.models.train.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test helper: train with checkpoints, kill the run after one epoch, resume it. */
public final class KillAndResume {
  private KillAndResume() {}

  /** The resumed model and the epochs the resumed run reported. */
  public record Result(TrainedModel model, List<Integer> epochs) {}

  /**
   * Fits {@code base} with checkpoints in {@code dir}, throws from the listener after epoch
   * {@code killAt} (asserting the checkpoint exists), then fits again with {@code resume}.
   */
  public static Result run(Recommender r, TrainContext base, Path dir, int killAt) {
    List<Integer> epochs = new ArrayList<>();
    return new Result(run(r::fit, base, dir, killAt, epochs), epochs);
  }

  /**
   * {@link #run(Recommender, TrainContext, Path, int)} for any training function (CTR models train
   * through {@code fitCtr}): returns the resumed run's result; {@code epochs} receives the epochs it
   * reported.
   */
  public static <M> M run(Function<TrainContext, M> fit, TrainContext base, Path dir, int killAt,
      List<Integer> epochs) {
    RuntimeException kill = new RuntimeException("killed");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> fit.apply(
        base.withCheckpoints(dir, false).withListener(rep -> {
          if (rep.epoch() == killAt) {
            throw kill;
          }
        })));
    assertEquals(kill, thrown);
    assertTrue(Checkpoint.exists(dir));
    return fit.apply(base.withCheckpoints(dir, true).withListener(rep -> epochs.add(rep.epoch())));
  }

  /** Same factors (test split) and the same loss / validation history, bit for bit. */
  public static void assertSame(TrainedModel full, TrainedModel resumed) {
    assertArrayEquals(full.userFactors(Split.TEST).data(), resumed.userFactors(Split.TEST).data());
    assertArrayEquals(full.itemFactors().data(), resumed.itemFactors().data());
    assertEquals(full.history().loss(), resumed.history().loss());
    assertEquals(full.history().valid(), resumed.history().valid());
    assertEquals(full.history().bestEpoch(), resumed.history().bestEpoch());
  }
}
