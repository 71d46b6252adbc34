package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import io.cliprec.models.TestData;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training through DJL/PyTorch autograd and through the closed-form Java gradients ends in the same place. */
class LossBackendTest {
  @Test
  void djlAndJavaBackendsTrainTheSameModel() {
    Dataset data = TestData.clustered(100, 4, 12, 8, 4L);
    Recommender r = ModelRegistry.get("lightgcn");
    Config cfg = r.defaults().merge(Config.of(Map.of("learning_rate", 0.01, "train_batch_size", 64,
        "epochs", 3, "threads", 1)));
    TrainContext c = TrainContext.of(data, cfg).withSeed(5).withValidator(TestData.naiveValidator());
    TrainedModel j = r.fit(c.withConfig(cfg.with("loss_backend", "java")));
    TrainedModel t = r.fit(c.withConfig(cfg.with("loss_backend", "djl")));
    float[] a = j.userFactors(Split.TEST).data();
    float[] b = t.userFactors(Split.TEST).data();
    double max = 0;
    for (int k = 0; k < a.length; k++) {
      max = Math.max(max, Math.abs(a[k] - b[k]));
    }
    assertTrue(max < 1e-4, "max |java - djl| = " + max);
    for (int e = 0; e < 3; e++) {
      assertEquals(j.history().loss().get(e), t.history().loss().get(e), 1e-5);
    }
  }
}
