package io.cliprec.models;

/** Receives one {@link EpochReport} after every training epoch (called on the training thread). */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = r -> { };

  void onEpoch(EpochReport report);
}
