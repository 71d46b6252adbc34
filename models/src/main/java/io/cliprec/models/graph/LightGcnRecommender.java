package io.cliprec.models.graph;

import io.cliprec.core.config.Config;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.train.EmbeddingTrainer;

/**
 * LightGCN as MMRec's {@code models/lightgcn.py}: final embeddings = mean over layers 0..n_layers of
 * {@code Â^k E0} (Java CSR kernel, {@link LightGcnPropagation}), BPR loss on final embeddings, EmbLoss on
 * the batch's ego embeddings, xavier-uniform init. Defaults: {@code io/cliprec/models/config/lightgcn.yaml}.
 */
public final class LightGcnRecommender implements Recommender {
  public static final String NAME = "lightgcn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(LightGcnRecommender.class, "/io/cliprec/models/config/lightgcn.yaml");
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    return new EmbeddingTrainer(NAME, (data, c, par) -> new LightGcnPropagation(
        NormalizedAdjacency.build(data.trainMatrix()), c.getInt("n_layers"), par.threads() * 8))
        .fit(ctx.withConfig(cfg));
  }
}
