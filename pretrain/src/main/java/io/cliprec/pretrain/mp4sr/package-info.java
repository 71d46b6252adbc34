/**
 * MP4SR pre-training ({@code cliprec pretrain mp4sr}): item drop, complementary sequence mixup,
 * next-item InfoNCE per modality and the cross-modality NT-Xent over the {@code models.mp4sr} network;
 * writes the weights that {@code cliprec train --model mp4sr --pretrained DIR} fine-tunes.
 */
package io.cliprec.pretrain.mp4sr;
