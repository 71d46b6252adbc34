package io.cliprec.encode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and timings of an encode run, updated concurrently. Times are nanoseconds; "inference" is time
 * spent inside {@code OrtSession.run}, everything else of the wall time is overhead (tokenising, decoding,
 * resizing, batching, copying).
 */
public final class EncodeStats {
  public final AtomicLong texts = new AtomicLong();
  public final AtomicLong textsTruncated = new AtomicLong();
  public final AtomicLong textBatches = new AtomicLong();
  public final AtomicLong tokens = new AtomicLong();
  public final AtomicLong paddedTokens = new AtomicLong();
  public final AtomicLong textInferenceNanos = new AtomicLong();
  public final AtomicLong textWallNanos = new AtomicLong();
  public final AtomicLong images = new AtomicLong();
  public final AtomicLong imagesFailed = new AtomicLong();
  public final AtomicLong imageInferenceNanos = new AtomicLong();
  public final AtomicLong imageDecodeNanos = new AtomicLong();
  public final AtomicLong imageWallNanos = new AtomicLong();

  /** Texts per second of text wall time. */
  public double textsPerSecond() {
    long w = textWallNanos.get();
    return w == 0 ? 0 : texts.get() * 1e9 / w;
  }

  /** Images per second of image wall time. */
  public double imagesPerSecond() {
    long w = imageWallNanos.get();
    return w == 0 ? 0 : images.get() * 1e9 / w;
  }

  /** Share of text wall time spent outside the ONNX session, in [0,1]. */
  public double textOverhead() {
    long w = textWallNanos.get();
    return w == 0 ? 0 : Math.max(0, 1.0 - (double) textInferenceNanos.get() / w);
  }

  /** Share of image wall time spent outside the ONNX session, in [0,1]. */
  public double imageOverhead() {
    long w = imageWallNanos.get();
    return w == 0 ? 0 : Math.max(0, 1.0 - (double) imageInferenceNanos.get() / w);
  }

  /** A flat summary for manifests and logs (seconds, rates, shares). */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("texts", texts.get());
    m.put("texts_truncated", textsTruncated.get());
    m.put("text_batches", textBatches.get());
    m.put("text_tokens", tokens.get());
    m.put("text_padded_tokens", paddedTokens.get());
    m.put("text_wall_s", textWallNanos.get() / 1e9);
    m.put("text_inference_s", textInferenceNanos.get() / 1e9);
    m.put("texts_per_s", textsPerSecond());
    m.put("text_overhead_share", textOverhead());
    m.put("images", images.get());
    m.put("images_failed", imagesFailed.get());
    m.put("image_wall_s", imageWallNanos.get() / 1e9);
    m.put("image_inference_s", imageInferenceNanos.get() / 1e9);
    m.put("image_decode_cpu_s", imageDecodeNanos.get() / 1e9);
    m.put("images_per_s", imagesPerSecond());
    m.put("image_overhead_share", imageOverhead());
    return m;
  }
}
