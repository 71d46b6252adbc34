package io.cliprec.encode.views;

import io.cliprec.encode.text.HfTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a prompt longer than the model's limit into chunks that each fit: the first chunk is the start of
 * the prompt (prefix included), every further chunk is the view prefix followed by the next run of tokens of
 * the original text. Boundaries come from the tokenizer's character spans, so chunks end between tokens.
 */
public final class Chunker {
  /** A continuation chunk carries at least this many tokens of text beside the prefix. */
  static final int MIN_BODY_TOKENS = 8;

  private final HfTokenizer tokenizer;

  public Chunker(HfTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Token budget of one chunk (model limit minus special tokens). */
  public int budget() {
    return tokenizer.maxLength() - tokenizer.specialTokens();
  }

  /**
   * @param text the full prompt (it starts with {@code prefix})
   * @param prefix view prefix repeated in every chunk ("" for none)
   * @return {@code [text]} when it fits, else the chunks in order
   */
  public List<String> split(String text, String prefix) {
    int budget = budget();
    int[] ends = tokenizer.tokenCharEnds(text);
    if (ends.length <= budget) {
      return List.of(text);
    }
    int prefixTokens = prefix.isBlank() ? 0 : tokenizer.countTokens(prefix);
    int step = budget - prefixTokens;
    String pre = prefix;
    if (step < MIN_BODY_TOKENS) {
      step = budget;
      pre = "";
    }
    List<String> chunks = new ArrayList<>();
    chunks.add(text.substring(0, ends[budget - 1]));
    int tok = budget;
    while (tok < ends.length) {
      int last = Math.min(ends.length, tok + step) - 1;
      String body = text.substring(ends[tok - 1], ends[last]).strip();
      if (!body.isEmpty()) {
        chunks.add(pre.isEmpty() ? body : pre + body);
      }
      tok = last + 1;
    }
    return chunks;
  }
}
