/**
 * Train / valid / test splitters ({@link io.cliprec.core.split.Splitter}): the file's own split
 * ({@code given}), leave-one-out by time ({@code loo}), MMRec's per-user random ratio rule
 * ({@code ratio}) and a global temporal cut ({@code temporal}); {@link io.cliprec.core.split.Splitters}
 * builds them by name from config. All are deterministic for a given seed.
 */
package io.cliprec.core.split;
