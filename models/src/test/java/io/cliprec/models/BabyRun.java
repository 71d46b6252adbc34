package io.cliprec.models;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Manual runner (not a test): trains a model on an MMRec {@code .inter} file and prints per-epoch timings
 * and the test metrics of the best-validation model.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp ... io.cliprec.models.BabyRun \
 *     MODEL INTER_FILE [key=value ...]
 * </pre>
 */
public final class BabyRun {
  public static void main(String[] args) throws Exception {
    String model = args[0];
    Path file = Path.of(args[1]);
    List<String> overrides = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
    long seed = 999;
    String save = null;
    Path ckpt = null;
    for (java.util.Iterator<String> it = overrides.iterator(); it.hasNext(); ) {
      String o = it.next();
      if (o.startsWith("seed=")) {
        seed = Long.parseLong(o.substring(5));
        it.remove();
      } else if (o.startsWith("ckpt=")) {
        ckpt = Path.of(o.substring(5));
        it.remove();
      } else if (o.startsWith("save=")) {
        save = o.substring(5);
        it.remove();
      }
    }
    long t0 = System.nanoTime();
    Dataset data = TestData.readInter(file);
    System.out.printf("%s read in %.2fs%n", data, (System.nanoTime() - t0) / 1e9);
    Recommender r = ModelRegistry.get(model);
    Config cfg = r.defaults().withOverrides(overrides);
    System.out.println("config " + cfg);
    long t1 = System.nanoTime();
    TrainedModel m = r.fit(TrainContext.of(data, cfg).withSeed(seed).withCheckpoints(ckpt, ckpt != null)
        .withListener(rep -> System.out.printf(
        "epoch %d loss %.5f valid %.4f train %.3fs eval %.3fs best %d%s%n", rep.epoch(), rep.loss(),
        rep.validMetric(), rep.trainSeconds(), rep.evalSeconds(), rep.bestEpoch(),
        rep.improved() ? " *" : "")));
    double total = (System.nanoTime() - t1) / 1e9;
    TrainingHistory h = m.history();
    double[] tr = h.trainSeconds().stream().mapToDouble(Double::doubleValue).toArray();
    double[] ev = h.evalSeconds().stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf("trained %d epochs in %.1fs (best epoch %d, valid %s %.4f, stopped early %s)%n",
        h.epochsRun(), total, h.bestEpoch(), h.validMetric(), h.bestValid(), h.stoppedEarly());
    System.out.printf("median train s/epoch %.3f, median eval s %.3f%n", median(tr), median(ev));
    EvalOptions opts = EvalOptions.defaults().withMask(MaskPolicy.TRAIN);
    EvalResult valid = Evaluator.evaluate(data, Split.VALID, m, opts);
    EvalResult test = Evaluator.evaluate(data, Split.TEST, m, opts);
    System.out.println("VALID " + valid);
    System.out.println("TEST  " + test);
    System.out.printf("RESULT %s seed %d test Recall@20 %.4f NDCG@20 %.4f (best epoch %d)%n", model, seed,
        test.get("Recall@20"), test.get("NDCG@20"), h.bestEpoch());
    if (save != null) {
      m.save(Path.of(save));
    }
  }

  private static double median(double[] a) {
    if (a.length == 0) {
      return Double.NaN;
    }
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
