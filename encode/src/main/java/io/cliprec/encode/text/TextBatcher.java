package io.cliprec.encode.text;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.encode.EncodeStats;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared batching for text towers: tokenises texts in windows (the next window on a background thread while
 * the current one runs), sorts each window by token length so batches carry little padding, pads each
 * batch to its longest sequence, runs it and scatters the rows back to input order.
 */
public final class TextBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(TextBatcher.class);
  /** Texts tokenised together; large enough to sort well, small enough to bound memory. */
  static final int WINDOW = 4096;

  /** Runs one padded batch. */
  @FunctionalInterface
  public interface BatchRunner {
    /**
     * @param ids token ids {@code [batch, len]} row-major, padded with 0
     * @param mask attention mask {@code [batch, len]}, 1 for real tokens
     * @param typeIds token type ids {@code [batch, len]}
     * @return {@code [batch, dim]} row-major embeddings (not necessarily normalised)
     */
    float[] run(long[] ids, long[] mask, long[] typeIds, int batch, int len);
  }

  private TextBatcher() {}

  /**
   * Encodes all texts.
   *
   * @param label name used in progress logs
   * @return {@code [texts.size(), dim]}, rows L2-normalised, in input order
   */
  public static FloatMatrix encode(List<String> texts, HfTokenizer tok, int batchSize, int dim,
      BatchRunner runner, EncodeStats stats, String label) {
    return encode(texts, tok, batchSize, dim, 0L, runner, stats, label);
  }

  /**
   * Encodes all texts, padding ids with {@code padId}.
   *
   * @return {@code [texts.size(), dim]}, rows L2-normalised, in input order
   */
  public static FloatMatrix encode(List<String> texts, HfTokenizer tok, int batchSize, int dim, long padId,
      BatchRunner runner, EncodeStats stats, String label) {
    long t0 = System.nanoTime();
    int n = texts.size();
    float[] out = new float[Math.multiplyExact(n, dim)];
    ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tokenize");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<HfTokenizer.Tokenized[]> next = n == 0 ? null
          : ex.submit(() -> tok.encode(texts.subList(0, Math.min(WINDOW, n))));
      Progress progress = new Progress(label, n, t0);
      for (int start = 0; start < n; start += WINDOW) {
        int end = Math.min(n, start + WINDOW);
        HfTokenizer.Tokenized[] tk = next.get();
        if (end < n) {
          int s2 = end;
          int e2 = Math.min(n, end + WINDOW);
          next = ex.submit(() -> tok.encode(texts.subList(s2, e2)));
        }
        runWindow(tk, start, batchSize, dim, padId, runner, stats, out, progress);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("tokenisation failed: " + e.getCause(), e.getCause());
    } finally {
      ex.shutdownNow();
    }
    normalizeRows(out, dim);
    stats.texts.addAndGet(n);
    stats.textWallNanos.addAndGet(System.nanoTime() - t0);
    return new FloatMatrix(n, dim, out);
  }

  private static void runWindow(HfTokenizer.Tokenized[] tk, int offset, int batchSize, int dim, long padId,
      BatchRunner runner, EncodeStats stats, float[] out, Progress progress) {
    Integer[] order = new Integer[tk.length];
    for (int i = 0; i < tk.length; i++) {
      order[i] = i;
      if (tk[i].truncated()) {
        stats.textsTruncated.incrementAndGet();
      }
    }
    Arrays.sort(order, (a, b) -> Integer.compare(tk[a].length(), tk[b].length()));
    for (int b0 = 0; b0 < tk.length; b0 += batchSize) {
      int bs = Math.min(batchSize, tk.length - b0);
      int len = 1;
      for (int j = 0; j < bs; j++) {
        len = Math.max(len, tk[order[b0 + j]].length());
      }
      long[] ids = new long[bs * len];
      if (padId != 0) {
        Arrays.fill(ids, padId);
      }
      long[] mask = new long[bs * len];
      long[] types = new long[bs * len];
      long real = 0;
      for (int j = 0; j < bs; j++) {
        HfTokenizer.Tokenized t = tk[order[b0 + j]];
        System.arraycopy(t.ids(), 0, ids, j * len, t.length());
        System.arraycopy(t.typeIds(), 0, types, j * len, t.length());
        Arrays.fill(mask, j * len, j * len + t.length(), 1L);
        real += t.length();
      }
      stats.tokens.addAndGet(real);
      stats.paddedTokens.addAndGet((long) bs * len - real);
      float[] emb = runner.run(ids, mask, types, bs, len);
      if (emb.length != bs * dim) {
        throw new IllegalStateException("model returned " + emb.length + " values for a batch of " + bs
            + " x " + dim);
      }
      for (int j = 0; j < bs; j++) {
        System.arraycopy(emb, j * dim, out, (offset + order[b0 + j]) * dim, dim);
      }
      stats.textBatches.incrementAndGet();
      progress.advance(bs);
    }
  }

  /** Logs progress (count, percent, rate, ETA) at most every 5 s and at the end. */
  private static final class Progress {
    private long lastLog = System.nanoTime();
    final String label;
    final int total;
    final long t0;
    int done;

    Progress(String label, int total, long t0) {
      this.label = label;
      this.total = total;
      this.t0 = t0;
    }

    void advance(int k) {
      done += k;
      long now = System.nanoTime();
      if (now - lastLog > 5_000_000_000L || done == total) {
        double secs = (now - t0) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        LOG.info("{}: {}/{} texts ({}%), {} texts/s, ETA {} s", label, done, total, 100L * done / total,
            String.format("%.1f", rate), String.format("%.0f", (total - done) / Math.max(rate, 1e-9)));
        lastLog = now;
      }
    }
  }

  /** L2-normalises each row of a row-major {@code [n, dim]} array in place (zero rows stay zero). */
  public static void normalizeRows(float[] a, int dim) {
    for (int r = 0; r < a.length / dim; r++) {
      double s = 0;
      for (int c = 0; c < dim; c++) {
        float v = a[r * dim + c];
        s += v * v;
      }
      if (s > 0) {
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int c = 0; c < dim; c++) {
          a[r * dim + c] *= inv;
        }
      }
    }
  }
}
