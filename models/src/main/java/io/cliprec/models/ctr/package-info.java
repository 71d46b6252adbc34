/**
 * Click-through-rate models: DeepFM ({@code deepfm}) and xDeepFM ({@code xdeepfm}) over the fields user,
 * item, item class and optional item-feature plug-ins ({@link io.cliprec.models.ctr.CtrNet}), trained on
 * labelled (user, item, 0/1) rows with BCE and early stopping on validation AUC
 * ({@link io.cliprec.models.ctr.CtrRecommender}); the trained {@link io.cliprec.models.ctr.CtrModel}
 * predicts click probabilities ({@link io.cliprec.core.eval.PairScorer}) and is evaluated with AUC and
 * LogLoss ({@link io.cliprec.core.eval.CtrMetrics}). Training checkpoints every epoch and resumes exactly
 * ({@link io.cliprec.models.train.FlatCheckpoint}).
 */
package io.cliprec.models.ctr;
