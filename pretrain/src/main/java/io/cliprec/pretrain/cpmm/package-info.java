/**
 * CPMM pre-training (Anonymous63525/CPMM {@code CPMM_main.py}): small projection heads that map
 * image, text and ID views of every item into one 128-d space where the views agree (symmetric
 * image-text InfoNCE), stay close (modality gap) and reflect which items share users (first-order
 * co-interaction BCE). {@link io.cliprec.pretrain.cpmm.CpmmPretrainer#pretrain} is the entry point;
 * {@link io.cliprec.pretrain.cpmm.CoInteraction} is the sparse item-item graph from training rows only,
 * {@link io.cliprec.pretrain.cpmm.CpmmHeads} the heads, {@link io.cliprec.pretrain.cpmm.CpmmLoss} the
 * three loss terms.
 */
package io.cliprec.pretrain.cpmm;
