/** CLIPER view similarity (cos / tau) and encode-time fusion (sum, concat, attention). */
package io.cliprec.encode.fusion;
