/**
 * MP4SR (Multimodal Pre-training for Sequential Recommendation, arXiv 2303.11879; reference code
 * lzz0007/MP4SR on RecBole/UniSRec): per-modality item features pooled by a trainable attention layer,
 * one mixture-of-experts adaptor per modality, the shared SASRec encoder of {@code models.seq}
 * ({@link io.cliprec.models.mp4sr.Mp4srNet}); the pre-training losses and augmentations
 * ({@link io.cliprec.models.mp4sr.Mp4srLoss}, {@link io.cliprec.models.mp4sr.Mp4srAugment}); the
 * fine-tuned recommender {@code mp4sr} ({@link io.cliprec.models.mp4sr.Mp4srRecommender}). The
 * pre-training loop lives in {@code io.cliprec.pretrain.mp4sr}.
 */
package io.cliprec.models.mp4sr;
