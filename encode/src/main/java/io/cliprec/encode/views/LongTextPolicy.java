package io.cliprec.encode.views;

/** What to do with a text longer than the model's token limit. */
public enum LongTextPolicy {
  /**
   * CLIPER: split into chunks at token boundaries, every chunk after the first starts with the view prefix,
   * encode each and sum the embeddings (then L2-normalise).
   */
  CHUNK,
  /** Keep the first tokens up to the limit. */
  TRUNCATE
}
