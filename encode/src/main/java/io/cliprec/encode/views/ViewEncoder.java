package io.cliprec.encode.views;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.text.TextBatcher;
import io.cliprec.encode.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Encodes the V views of N items: builds each prompt, splits over-long prompts into chunks (or leaves them
 * to be truncated), encodes all chunks in one batched pass, sums the chunk embeddings of each
 * (item, view) and L2-normalises the sum.
 */
public final class ViewEncoder {
  private ViewEncoder() {}

  /** A per-item note (over-long text chunked or truncated). */
  public static final class Note {
    public final int item;
    public final String view;
    public final String message;

    Note(int item, String view, String message) {
      this.item = item;
      this.view = view;
      this.message = message;
    }
  }

  /**
   * @param prompts {@code prompts.get(i).get(k)} = text of view k of item i (V texts per item)
   * @param prefixes view prefix of each view (repeated in chunks)
   * @param viewNames names of the V views (for notes)
   * @param notes receives one note per chunked / truncated (item, view)
   * @return views {@code [V, N, D]} row-major, unit rows
   */
  public static float[] encode(List<List<String>> prompts, List<String> prefixes, List<String> viewNames,
      TextEncoder encoder, LongTextPolicy policy, Consumer<Note> notes) {
    int n = prompts.size();
    int v = prefixes.size();
    int d = encoder.dim();
    Chunker chunker = new Chunker(encoder.tokenizer());
    List<String> texts = new ArrayList<>();
    int[] owner = new int[16];
    int count = 0;
    for (int i = 0; i < n; i++) {
      List<String> p = prompts.get(i);
      if (p.size() != v) {
        throw new IllegalArgumentException("item " + i + " has " + p.size() + " views, expected " + v);
      }
      for (int k = 0; k < v; k++) {
        List<String> chunks;
        if (policy == LongTextPolicy.CHUNK) {
          chunks = chunker.split(p.get(k), prefixes.get(k));
          if (chunks.size() > 1) {
            notes.accept(new Note(i, viewNames.get(k), "over " + chunker.budget() + " tokens: "
                + chunks.size() + " chunks summed"));
          }
        } else {
          chunks = List.of(p.get(k));
        }
        for (String c : chunks) {
          if (count == owner.length) {
            owner = java.util.Arrays.copyOf(owner, owner.length * 2);
          }
          owner[count++] = k * n + i;
          texts.add(c);
        }
      }
    }
    long truncatedBefore = encoder.stats().textsTruncated.get();
    FloatMatrix emb = encoder.encode(texts);
    if (policy == LongTextPolicy.TRUNCATE && encoder.stats().textsTruncated.get() > truncatedBefore) {
      int budget = chunker.budget();
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < v; k++) {
          if (encoder.tokenizer().countTokens(prompts.get(i).get(k)) > budget) {
            notes.accept(new Note(i, viewNames.get(k), "over " + budget + " tokens: truncated"));
          }
        }
      }
    }
    float[] out = new float[Math.multiplyExact(Math.multiplyExact(v, n), d)];
    float[] e = emb.data();
    for (int t = 0; t < count; t++) {
      int dst = owner[t] * d;
      for (int c = 0; c < d; c++) {
        out[dst + c] += e[t * d + c];
      }
    }
    TextBatcher.normalizeRows(out, d);
    return out;
  }
}
