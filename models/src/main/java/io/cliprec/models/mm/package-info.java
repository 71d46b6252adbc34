/**
 * Multimodal backbones that take any plug-in {@link io.cliprec.core.features.ItemFeatures}: VBPR
 * ({@code vbpr}), LATTICE ({@code lattice}) and FREEDOM ({@code freedom}), faithful to MMRec's
 * {@code src/models/*.py}. Every trainable part has a closed-form Java backward (checked against finite
 * differences in the tests); graph products use Java sparse kernels. Owns the shared pieces: the
 * mini-batch loop with early stopping, MMRec's LR scheduler, checkpoints and exact resume
 * ({@link io.cliprec.models.mm.MmTrainer}, {@link io.cliprec.models.mm.MmCheckpoint}), modality selection
 * ({@link io.cliprec.models.mm.Modalities}), exact cosine kNN item graphs with a provenance-keyed disk
 * cache ({@link io.cliprec.models.mm.KnnGraph}), the fixed-width sparse item–item operator
 * ({@link io.cliprec.models.mm.ItemGraph}), dense linear-layer kernels ({@link io.cliprec.models.mm.Dense}),
 * and CLIPER's trainable text fusion input layers over per-view text ({@code text_fusion: mlp|attention};
 * {@link io.cliprec.models.mm.TextFusion}, {@link io.cliprec.models.mm.TextViews}).
 */
package io.cliprec.models.mm;
