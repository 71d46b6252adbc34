package io.cliprec.models.train;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.models.TestData;
import java.nio.file.Path;

/**
 * Manual tool: evaluates the best-so-far factors of a (possibly still running) training checkpoint on
 * VALID and TEST. Args: INTER_FILE CHECKPOINT_DIR.
 */
public final class EvalCheckpoint {
  public static void main(String[] args) throws Exception {
    Dataset data = TestData.readInter(Path.of(args[0]));
    Checkpoint.State s = Checkpoint.load(Path.of(args[1]));
    FactorModel m = new FactorModel(s.model, io.cliprec.core.config.Config.of(s.config), null,
        new FloatMatrix(s.numUsers, s.dim, s.bestUser), new FloatMatrix(s.numItems, s.dim, s.bestItem));
    EvalOptions o = EvalOptions.defaults().withMask(MaskPolicy.TRAIN);
    EvalResult v = Evaluator.evaluate(data, Split.VALID, m, o);
    EvalResult t = Evaluator.evaluate(data, Split.TEST, m, o);
    System.out.printf("checkpoint epoch %d best epoch %d (valid %.4f): VALID Recall@20 %.4f | TEST Recall@20"
        + " %.4f NDCG@20 %.4f%n", s.epoch, s.bestEpoch, s.bestValid, v.get("Recall@20"), t.get("Recall@20"),
        t.get("NDCG@20"));
  }
}
