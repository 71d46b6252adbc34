/**
 * Sequential recommenders on the leave-one-out protocol: SASRec as defined by S3-Rec
 * (aHuiWang/CIKM2020-S3Rec {@code modules.py}, {@code models.py}, {@code trainers.py}) trained with DJL +
 * PyTorch autograd. {@link io.cliprec.models.seq.SasRecNet} is the network (flat float32 parameters,
 * forward with NDArray ops), {@link io.cliprec.models.seq.UserSequences} the per-user histories,
 * {@link io.cliprec.models.seq.SasRecRecommender} the registered {@code sasrec} model and
 * {@link io.cliprec.models.seq.SeqFactorModel} the trained model whose user factors depend on the target
 * split (the history before it), and {@link io.cliprec.models.seq.SasRecSessionEncoder} the network's
 * plain-Java inference form (a {@link io.cliprec.models.SessionEncoder}) that encodes anonymous sessions at
 * serving time.
 */
package io.cliprec.models.seq;
