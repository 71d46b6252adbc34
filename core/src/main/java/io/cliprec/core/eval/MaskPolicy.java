package io.cliprec.core.eval;

/** Which of a user's known items are removed from the ranking before top-K. */
public enum MaskPolicy {
  /** Training items only (MMRec: valid items stay rankable when evaluating test). */
  TRAIN,
  /** Everything before the target: train for VALID, train + valid for TEST (S3-Rec / CPMM SR). */
  HISTORY,
  /** Nothing masked (RecBole sequential full ranking). */
  NONE
}
