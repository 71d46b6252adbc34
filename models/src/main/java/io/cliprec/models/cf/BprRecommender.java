package io.cliprec.models.cf;

import io.cliprec.core.config.Config;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.train.EmbeddingTrainer;
import io.cliprec.models.train.LinearOp;

/**
 * BPR-MF as MMRec's {@code models/bpr.py}: score = user · item embeddings, BPR loss + EmbLoss on the batch
 * embeddings, xavier-normal init. Defaults: {@code io/cliprec/models/config/bpr.yaml}.
 */
public final class BprRecommender implements Recommender {
  public static final String NAME = "bpr";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(BprRecommender.class, "/io/cliprec/models/config/bpr.yaml");
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    return new EmbeddingTrainer(NAME, (data, c, par) -> LinearOp.identity(data.numUsers()
        + data.numItems())).fit(ctx.withConfig(cfg));
  }
}
