package io.cliprec.encode.clip;

import io.cliprec.encode.EncodeStats;
import io.cliprec.encode.text.TextBatcher;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image side of the CLIP pipeline: a pool decodes (ImageIO: JPEG, PNG, BMP, GIF, and WebP through the
 * TwelveMonkeys {@code imageio-webp} plugin) and preprocesses images while the caller's thread runs the vision tower on complete
 * batches; up to {@link #PREFETCH_BATCHES} batches are prepared ahead. Per-item failures are collected.
 */
final class ImageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ImageBatcher.class);
  static final int PREFETCH_BATCHES = 3;

  private ImageBatcher() {}

  /** One decoded + preprocessed image or the reason it failed. */
  private static final class Prepared {
    final float[] pixels;
    final String error;

    Prepared(float[] pixels, String error) {
      this.pixels = pixels;
      this.error = error;
    }
  }

  static ImageEmbeddings encode(ClipModel model, List<Path> sources, int batchSize, int decodeThreads,
      EncodeStats stats) {
    long t0 = System.nanoTime();
    int n = sources.size();
    int d = model.dim();
    ImagePreprocessor pre = model.preprocessor();
    int px = pre.size();
    float[] out = new float[Math.multiplyExact(n, d)];
    boolean[] present = new boolean[n];
    List<ImageFailure> failures = Collections.synchronizedList(new ArrayList<>());
    int threads = Math.max(1, decodeThreads);
    AtomicInteger tid = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "image-decode-" + tid.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ImageIO.setUseCache(false);
    try {
      ArrayDeque<List<Future<Prepared>>> queue = new ArrayDeque<>();
      int nextSubmit = 0;
      long lastLog = System.nanoTime();
      int done = 0;
      for (int b0 = 0; b0 < n; b0 += batchSize) {
        while (queue.size() < PREFETCH_BATCHES && nextSubmit < n) {
          List<Future<Prepared>> fs = new ArrayList<>();
          int end = Math.min(n, nextSubmit + batchSize);
          for (int i = nextSubmit; i < end; i++) {
            Path p = sources.get(i);
            fs.add(pool.submit(() -> prepare(p, pre, stats)));
          }
          queue.add(fs);
          nextSubmit = end;
        }
        List<Future<Prepared>> fs = queue.poll();
        int bs = fs.size();
        float[] pixels = new float[bs * px];
        int[] rows = new int[bs];
        int ok = 0;
        for (int j = 0; j < bs; j++) {
          int item = b0 + j;
          Prepared p = fs.get(j).get();
          if (p.pixels == null) {
            failures.add(new ImageFailure(item, String.valueOf(sources.get(item)), p.error));
            continue;
          }
          System.arraycopy(p.pixels, 0, pixels, ok * px, px);
          rows[ok++] = item;
        }
        if (ok > 0) {
          float[] emb = model.runImages(ok == bs ? pixels : java.util.Arrays.copyOf(pixels, ok * px), ok);
          for (int j = 0; j < ok; j++) {
            System.arraycopy(emb, j * d, out, rows[j] * d, d);
            present[rows[j]] = true;
          }
        }
        done += bs;
        long now = System.nanoTime();
        if (now - lastLog > 5_000_000_000L || done == n) {
          double secs = (now - t0) / 1e9;
          LOG.info("images: {}/{} ({}%), {} images/s, {} failed", done, n, 100L * done / n,
              String.format("%.1f", done / Math.max(secs, 1e-9)), failures.size());
          lastLog = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("image preparation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    TextBatcher.normalizeRows(out, d);
    int presentCount = 0;
    for (boolean b : present) {
      presentCount += b ? 1 : 0;
    }
    stats.images.addAndGet(presentCount);
    stats.imagesFailed.addAndGet(n - presentCount);
    stats.imageWallNanos.addAndGet(System.nanoTime() - t0);
    List<ImageFailure> sorted = new ArrayList<>(failures);
    sorted.sort((a, b) -> Integer.compare(a.item, b.item));
    return new ImageEmbeddings(out, n, d, present, sorted);
  }

  private static Prepared prepare(Path p, ImagePreprocessor pre, EncodeStats stats) {
    long t0 = System.nanoTime();
    try {
      if (p == null) {
        return new Prepared(null, "no image file found");
      }
      if (!Files.isRegularFile(p)) {
        return new Prepared(null, "file not found");
      }
      BufferedImage img;
      try {
        img = ImageIO.read(p.toFile());
      } catch (IOException | RuntimeException e) {
        return new Prepared(null, "corrupt or unreadable image: " + e.getMessage());
      }
      if (img == null) {
        return new Prepared(null, "unsupported image format (no ImageIO reader)");
      }
      if (img.getWidth() < 1 || img.getHeight() < 1) {
        return new Prepared(null, "empty image");
      }
      float[] out = new float[pre.size()];
      pre.process(img, out, 0);
      return new Prepared(out, null);
    } catch (RuntimeException | OutOfMemoryError e) {
      return new Prepared(null, "cannot process image: " + e);
    } finally {
      stats.imageDecodeNanos.addAndGet(System.nanoTime() - t0);
    }
  }
}
