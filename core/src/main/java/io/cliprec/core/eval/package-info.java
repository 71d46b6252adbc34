/**
 * Full-ranking evaluation: the {@link io.cliprec.core.eval.Evaluator} (MMRec / RecBole / S3-Rec
 * protocols, mask policies), the top-K metrics ({@link io.cliprec.core.eval.RankingMetrics}), CTR metrics
 * ({@link io.cliprec.core.eval.CtrMetrics}) and the fused dot-product + masked top-K kernel
 * ({@link io.cliprec.core.eval.TopK}, Vector API with a scalar fallback) that the server reuses.
 */
package io.cliprec.core.eval;
