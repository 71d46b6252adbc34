/**
 * Dataset formats: the {@link io.cliprec.core.io.DatasetReader} service interface, its built-in
 * readers ({@code mmrec}, {@code seq}, {@code cpmm-cf}, {@code cpmm-ctr}, {@code recbole}, {@code csv}),
 * the {@link io.cliprec.core.io.DatasetFormats} facade (detect, read, split), a fast allocation-light
 * line scanner ({@link io.cliprec.core.io.TextLines}) and {@link io.cliprec.core.io.DataFormatException}
 * for bad input (file, 1-based line, field).
 */
package io.cliprec.core.io;
