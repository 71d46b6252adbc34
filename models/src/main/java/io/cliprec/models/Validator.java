package io.cliprec.models;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.eval.Scorer;

/**
 * Computes the early-stopping metric of a candidate model on the validation split. The default
 * ({@link io.cliprec.models.train.EmbeddingTrainer#defaultValidator}) is the full-ranking
 * {@link io.cliprec.core.eval.Evaluator} on {@code Split.VALID} with {@code MaskPolicy.TRAIN}, reading the
 * config's {@code valid_metric} (MMRec: Recall@20). Bigger is better.
 */
@FunctionalInterface
public interface Validator {
  double validate(Dataset data, Scorer scorer);
}
