package io.cliprec.models;

import java.util.List;

/**
 * What happened during training. Lists are indexed by epoch - 1 and have {@link #epochsRun()} entries.
 *
 * @param epochsRun number of epochs trained (including ones replayed from a checkpoint)
 * @param bestEpoch 1-based epoch whose weights the model holds (0 if never validated)
 * @param bestValid validation metric of {@code bestEpoch}
 * @param validMetric name of the validation metric, e.g. "Recall@20"
 * @param loss mean training loss per epoch
 * @param valid validation metric per epoch (NaN where not evaluated)
 * @param trainSeconds training wall seconds per epoch
 * @param evalSeconds evaluation wall seconds per epoch
 * @param stoppedEarly true when early stopping ended training before the epoch limit
 */
public record TrainingHistory(int epochsRun, int bestEpoch, double bestValid, String validMetric,
    List<Double> loss, List<Double> valid, List<Double> trainSeconds, List<Double> evalSeconds,
    boolean stoppedEarly) {
  public TrainingHistory {
    loss = List.copyOf(loss);
    valid = List.copyOf(valid);
    trainSeconds = List.copyOf(trainSeconds);
    evalSeconds = List.copyOf(evalSeconds);
  }
}
