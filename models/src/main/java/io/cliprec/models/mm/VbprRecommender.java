package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;

/**
 * VBPR ({@link VbprModel}) over any modalities (concatenated in order). Defaults:
 * {@code io/cliprec/models/config/vbpr.yaml}.
 */
public final class VbprRecommender implements Recommender {
  public static final String NAME = "vbpr";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(VbprRecommender.class, "/io/cliprec/models/config/vbpr.yaml");
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    ItemFeatures f = Modalities.select(NAME, ctx.itemFeatures(), cfg, ctx.dataset());
    return new MmTrainer(NAME, (data, c, par, rng) -> new VbprModel(data, c, f, par, rng),
        MmTrainer.featureProvenance(f)).fit(ctx.withConfig(cfg));
  }
}
