/**
 * Item features, the plug-in boundary between encoders / pretrainers and recommenders:
 * {@link io.cliprec.core.features.FloatMatrix} (dense float32 {@code [rows, cols]}),
 * {@link io.cliprec.core.features.ItemFeatures} (named modalities + provenance, directory / npz layout)
 * and NumPy I/O ({@link io.cliprec.core.features.Npy}, {@link io.cliprec.core.features.Npz}).
 */
package io.cliprec.core.features;
