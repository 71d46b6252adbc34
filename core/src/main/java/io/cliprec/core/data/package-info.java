/**
 * The dataset model: dense user/item indices with external ids ({@link io.cliprec.core.data.IdIndex}),
 * columnar interactions, train/valid/test splits, sparse matrices and dataset statistics.
 */
package io.cliprec.core.data;
