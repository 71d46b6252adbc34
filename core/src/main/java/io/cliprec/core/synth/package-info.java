/** Synthetic, seeded datasets with catalog fields for the quickstart and tests. */
package io.cliprec.core.synth;
