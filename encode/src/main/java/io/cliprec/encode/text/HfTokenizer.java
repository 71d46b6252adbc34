package io.cliprec.encode.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} run through DJL's native tokenizers (loaded offline from the DJL jar).
 * Padding is always off here (batches are padded by {@link TokenBatch} after sorting by length); truncation
 * to {@link #maxLength()} tokens (special tokens included) is always on, and reported per text.
 */
public final class HfTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final HuggingFaceTokenizer untruncated;
  private final int maxLength;
  private final int specialTokens;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer untruncated, int maxLength) {
    this.tokenizer = tokenizer;
    this.untruncated = untruncated;
    this.maxLength = maxLength;
    Encoding empty = tokenizer.encode("", true, false);
    this.specialTokens = empty.getIds().length;
  }

  private static Map<String, String> options(int maxLength, boolean truncate) {
    Map<String, String> o = new HashMap<>();
    o.put("addSpecialTokens", "true");
    o.put("truncation", Boolean.toString(truncate));
    o.put("padding", "false");
    o.put("maxLength", Integer.toString(maxLength));
    o.put("modelMaxLength", Integer.toString(maxLength));
    return o;
  }

  /** Loads a {@code tokenizer.json} file; texts are truncated to {@code maxLength} tokens. */
  public static HfTokenizer load(Path tokenizerJson, int maxLength) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson);
    }
    try {
      return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options(maxLength, true)),
          HuggingFaceTokenizer.newInstance(tokenizerJson, options(maxLength, false)), maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
    }
  }

  /** Loads a {@code tokenizer.json} from its bytes (e.g. a classpath resource). */
  public static HfTokenizer load(byte[] tokenizerJson, int maxLength) {
    try {
      return new HfTokenizer(
          HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options(maxLength, true)),
          HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options(maxLength, false)),
          maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer stream", e);
    }
  }

  /** Maximum tokens per sequence, special tokens included. */
  public int maxLength() {
    return maxLength;
  }

  /** Number of special tokens the post-processor adds to one sequence (e.g. 2 for [CLS] .. [SEP]). */
  public int specialTokens() {
    return specialTokens;
  }

  /**
   * Tokenises texts (special tokens added, truncated to {@link #maxLength()}).
   *
   * @return one {@link Tokenized} per text, in input order
   */
  public Tokenized[] encode(List<String> texts) {
    Encoding[] enc = tokenizer.batchEncode(texts, true, false);
    Tokenized[] out = new Tokenized[enc.length];
    for (int i = 0; i < enc.length; i++) {
      out[i] = new Tokenized(enc[i].getIds(), enc[i].getTypeIds(), enc[i].exceedMaxLength());
    }
    return out;
  }

  /**
   * Character end offsets of the tokens of {@code text} without special tokens and without truncation
   * (used to cut over-long texts into chunks at token boundaries).
   *
   * @return {@code ends[t]} = exclusive char end of token t in {@code text}
   */
  public int[] tokenCharEnds(String text) {
    Encoding e = untruncated.encode(text, false, false);
    CharSpan[] spans = e.getCharTokenSpans();
    int[] ends = new int[spans.length];
    int last = 0;
    for (int i = 0; i < spans.length; i++) {
      int end = spans[i] == null ? last : spans[i].getEnd();
      ends[i] = Math.max(end, last);
      last = ends[i];
    }
    return ends;
  }

  /** Token count of {@code text} without special tokens and without truncation. */
  public int countTokens(String text) {
    return untruncated.encode(text, false, false).getIds().length;
  }

  @Override
  public void close() {
    tokenizer.close();
    untruncated.close();
  }

  /** One tokenised text: ids and token type ids (same length), and whether it was truncated. */
  public static final class Tokenized {
    private final long[] ids;
    private final long[] typeIds;
    private final boolean truncated;

    public Tokenized(long[] ids, long[] typeIds, boolean truncated) {
      this.ids = ids;
      this.typeIds = typeIds;
      this.truncated = truncated;
    }

    public long[] ids() {
      return ids;
    }

    public long[] typeIds() {
      return typeIds;
    }

    public int length() {
      return ids.length;
    }

    public boolean truncated() {
      return truncated;
    }
  }
}
