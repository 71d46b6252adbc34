package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;

/**
 * LATTICE ({@link LatticeModel}) over any modalities. Defaults:
 * {@code io/cliprec/models/config/lattice.yaml}.
 */
public final class LatticeRecommender implements Recommender {
  public static final String NAME = "lattice";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(LatticeRecommender.class, "/io/cliprec/models/config/lattice.yaml");
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    ItemFeatures f = Modalities.select(NAME, ctx.itemFeatures(), cfg, ctx.dataset());
    return new MmTrainer(NAME, (data, c, par, rng) -> new LatticeModel(data, c, f, par, rng),
        MmTrainer.featureProvenance(f)).fit(ctx.withConfig(cfg));
  }
}
