/**
 * Model bundles: the self-contained, versioned directory ({@code manifest.json} stamped
 * {@code cliprec-bundle} / version) that {@code cliprec bundle} writes from a training run and
 * {@code cliprec serve} loads: weights, external id maps, seen items, item features, encoder
 * configuration and provenance.
 */
package io.cliprec.serve.bundle;
