package io.cliprec.models;

/**
 * What one finished epoch reports.
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch's batches
 * @param validMetric validation metric (e.g. Recall@20) after this epoch, NaN when not evaluated
 * @param trainSeconds wall seconds spent training this epoch
 * @param evalSeconds wall seconds spent evaluating this epoch (0 when not evaluated)
 * @param bestEpoch best epoch so far (1-based, 0 when none yet)
 * @param improved whether this epoch became the new best
 */
public record EpochReport(int epoch, double loss, double validMetric, double trainSeconds,
    double evalSeconds, int bestEpoch, boolean improved) {}
