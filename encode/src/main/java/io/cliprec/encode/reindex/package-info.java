/**
 * Re-using one encode output for several datasets whose item ids differ: {@link
 * io.cliprec.encode.reindex.SequenceAlignment} derives an item id map from two sequence files that hold the
 * same interactions (e.g. S3-Rec's and CPMM's numbering of Amazon Beauty), and {@link
 * io.cliprec.encode.reindex.FeatureReindexer} writes an encode output's features (fused text, per-view text,
 * averaged view groups) row-aligned to another dataset's item index, so each view is encoded once.
 */
package io.cliprec.encode.reindex;
