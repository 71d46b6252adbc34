package io.cliprec.models.seq;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.io.DatasetFormats;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual runner (no CLI rebuild needed): trains sasrec on a leave-one-out dataset and prints test
 * HR/NDCG@10/20 with the history masked.
 *
 * <pre>java ... io.cliprec.models.seq.SeqRun DATA FORMAT FEATURES|- SEED [key=value ...]</pre>
 */
public final class SeqRun {
  private SeqRun() {}

  public static void main(String[] args) {
    Dataset data = DatasetFormats.read(Path.of(args[0]), args[1], Config.empty())
        .withProtocol(Protocol.LEAVE_ONE_OUT);
    List<String> over = new ArrayList<>(List.of(args).subList(4, args.length));
    Config cfg = Config.empty().withOverrides(over);
    TrainContext ctx = TrainContext.of(data, cfg).withSeed(Long.parseLong(args[3]))
        .withListener(r -> System.out.printf("epoch %d loss %.4f valid %.4f best %d train %.1fs%n",
            r.epoch(), r.loss(), r.validMetric(), r.bestEpoch(), r.trainSeconds()));
    if (!args[2].equals("-")) {
      ctx = ctx.withItemFeatures(ItemFeatures.read(Path.of(args[2])));
    }
    long t0 = System.nanoTime();
    TrainedModel m = ModelRegistry.get("sasrec").fit(ctx);
    EvalOptions o = EvalOptions.defaults().withKs(10, 20).withMask(MaskPolicy.HISTORY);
    EvalResult r = Evaluator.evaluate(data, Split.TEST, m, o);
    System.out.printf("RESULT %s seed %s %s: HR@10 %.4f NDCG@10 %.4f HR@20 %.4f NDCG@20 %.4f (best epoch %d,"
        + " %.0fs)%n", data.name(), args[3], over, r.get("HR@10"), r.get("NDCG@10"), r.get("HR@20"),
        r.get("NDCG@20"), m.history().bestEpoch(), (System.nanoTime() - t0) / 1e9);
  }
}
