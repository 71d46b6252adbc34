package io.cliprec.encode.text;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.EncodeStats;
import java.util.List;

/**
 * Maps texts to unit-length vectors. Implementations own native sessions (close them). Thread-compatible:
 * one caller at a time; each call batches internally.
 */
public interface TextEncoder extends AutoCloseable {
  /** Short name for logs and provenance (e.g. {@code minilm}, or the model directory). */
  String name();

  /** Provenance of the weights: a path or resource name. */
  String modelSource();

  /** SHA-256 (hex) of the model file(s). */
  String modelSha256();

  /** Output dimension D. */
  int dim();

  /** The tokenizer (used for chunking over-long texts). */
  HfTokenizer tokenizer();

  /**
   * Encodes texts; each is truncated to {@link HfTokenizer#maxLength()} tokens (counted in
   * {@link #stats()}).
   *
   * @return {@code [texts.size(), dim()]} L2-normalised float32 rows in input order
   */
  FloatMatrix encode(List<String> texts);

  /** Counters and timings accumulated over all calls. */
  EncodeStats stats();

  @Override
  void close();
}
