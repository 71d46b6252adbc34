/**
 * Encoding new items at serving time: {@link io.cliprec.serve.encode.EncoderSpec} turns a
 * {@code cliprec encode} feature manifest into a bundle's {@code encoder.json} (model paths + sha256, never
 * weights), and {@link io.cliprec.serve.encode.ItemEncoder} re-runs the same prompt building, text/image
 * encoders and fusion (the {@code io.cliprec.encode} classes) on one item.
 */
package io.cliprec.serve.encode;
