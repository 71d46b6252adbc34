package io.cliprec.core.data;

/**
 * How a dataset is evaluated; readers set it from the format, users may override it.
 *
 * <ul>
 *   <li>{@link #MMREC}: full ranking, several test items per user, training items masked (MMRec, CLIPER).
 *   <li>{@link #LEAVE_ONE_OUT}: sequential; last item test, second last valid; full ranking with the user's
 *       whole history masked (S3-Rec, CPMM's SR code).
 *   <li>{@link #CTR}: labelled (user, item, label) rows scored pointwise: AUC and LogLoss.
 * </ul>
 */
public enum Protocol {
  MMREC,
  LEAVE_ONE_OUT,
  CTR
}
