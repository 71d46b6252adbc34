/**
 * The MMRec-semantics training loop shared by embedding models: shuffled positive pairs with one uniform
 * negative each ({@link io.cliprec.models.train.PairSampler}), BPR loss + EmbLoss regularisation computed
 * with DJL/PyTorch autograd, a linear propagation op with explicit backward
 * ({@link io.cliprec.models.train.LinearOp}), a torch-identical Adam in Java
 * ({@link io.cliprec.models.train.Adam}), validation each epoch with early stopping, per-epoch atomic
 * checkpoints with exact resume ({@link io.cliprec.models.train.Checkpoint}; for flat-parameter DJL
 * models such as SASRec, DeepFM and xDeepFM {@link io.cliprec.models.train.FlatCheckpoint}), float32
 * {@code .npy} I/O and the saved/loaded {@link io.cliprec.models.train.FactorModel}.
 */
package io.cliprec.models.train;
