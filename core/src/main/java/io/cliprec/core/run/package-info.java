/** Run records ({@code run.json}): config, seed, data hash, versions, metrics and timings of one run. */
package io.cliprec.core.run;
