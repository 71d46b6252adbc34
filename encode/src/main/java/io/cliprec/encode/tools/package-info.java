/** Command-line checks and benchmarks (e.g. the Last.fm MiniLM reproduction). */
package io.cliprec.encode.tools;
