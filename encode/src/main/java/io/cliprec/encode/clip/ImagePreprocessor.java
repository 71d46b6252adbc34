package io.cliprec.encode.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.io.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * CLIP image preprocessing as configured by a HuggingFace {@code preprocessor_config.json}
 * (CLIPImageProcessor): convert to RGB, resize so the shortest side is {@code size.shortest_edge} (long side
 * {@code int(size * long / short)}) with Pillow's antialiased bicubic resampling (a = -0.5, fixed-point
 * weights, 8-bit rounding after each separable pass, exactly as Pillow), center crop ({@code top = (h - ch) / 2}, zero padding when
 * smaller), rescale by {@code rescale_factor}, normalise with {@code image_mean} / {@code image_std}.
 * Output is channels-first {@code [3, cropH, cropW]} float32. Immutable and thread-safe.
 */
public final class ImagePreprocessor {
  private final boolean doResize;
  private final int shortestEdge;
  private final int resizeH;
  private final int resizeW;
  private final boolean doCrop;
  private final int cropH;
  private final int cropW;
  private final boolean doRescale;
  private final double rescale;
  private final boolean doNormalize;
  private final float[] mean;
  private final float[] std;
  private final int resample;

  private ImagePreprocessor(JsonNode c, Path file) {
    doResize = c.path("do_resize").asBoolean(true);
    JsonNode size = c.path("size");
    if (size.isInt()) {
      shortestEdge = size.asInt();
      resizeH = -1;
      resizeW = -1;
    } else if (size.has("shortest_edge")) {
      shortestEdge = size.get("shortest_edge").asInt();
      resizeH = -1;
      resizeW = -1;
    } else if (size.has("height") && size.has("width")) {
      shortestEdge = -1;
      resizeH = size.get("height").asInt();
      resizeW = size.get("width").asInt();
    } else if (!doResize) {
      shortestEdge = -1;
      resizeH = -1;
      resizeW = -1;
    } else {
      throw new DataFormatException(file, 0, "size", "expected an int, {shortest_edge} or {height, width}");
    }
    doCrop = c.path("do_center_crop").asBoolean(true);
    JsonNode crop = c.path("crop_size");
    if (crop.isInt()) {
      cropH = crop.asInt();
      cropW = crop.asInt();
    } else if (crop.has("height")) {
      cropH = crop.get("height").asInt();
      cropW = crop.get("width").asInt();
    } else if (!doCrop) {
      cropH = resizeH > 0 ? resizeH : shortestEdge;
      cropW = resizeW > 0 ? resizeW : shortestEdge;
    } else {
      throw new DataFormatException(file, 0, "crop_size", "expected an int or {height, width}");
    }
    doRescale = c.path("do_rescale").asBoolean(true);
    rescale = c.path("rescale_factor").asDouble(1.0 / 255);
    doNormalize = c.path("do_normalize").asBoolean(true);
    mean = triple(c.get("image_mean"), new float[] {0.48145466f, 0.4578275f, 0.40821073f}, file, "image_mean");
    std = triple(c.get("image_std"), new float[] {0.26862954f, 0.26130258f, 0.27577711f}, file, "image_std");
    resample = c.path("resample").asInt(3);
    if (cropH <= 0 || cropW <= 0) {
      throw new DataFormatException(file, 0, "crop_size", "output size must be positive");
    }
  }

  private static float[] triple(JsonNode n, float[] dflt, Path file, String field) {
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isArray() || n.size() != 3) {
      throw new DataFormatException(file, 0, field, "expected 3 numbers");
    }
    return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
  }

  /** Reads a {@code preprocessor_config.json}. */
  public static ImagePreprocessor load(Path file) {
    try {
      return new ImagePreprocessor(new ObjectMapper().readTree(file.toFile()), file);
    } catch (IOException e) {
      throw new DataFormatException(file, 0, null, "cannot read preprocessor config: " + e.getMessage(), e);
    }
  }

  /** From an already parsed config (tests). */
  public static ImagePreprocessor of(JsonNode config) {
    return new ImagePreprocessor(config, null);
  }

  /** Output height. */
  public int height() {
    return cropH;
  }

  /** Output width. */
  public int width() {
    return cropW;
  }

  /** Values per image: {@code 3 * height() * width()}. */
  public int size() {
    return 3 * cropH * cropW;
  }

  /** Provenance summary. */
  @Override
  public String toString() {
    return "resize " + (shortestEdge > 0 ? "shortest_edge=" + shortestEdge : resizeH + "x" + resizeW)
        + " resample=" + resample + ", center_crop " + cropH + "x" + cropW + ", rescale " + rescale
        + ", mean " + java.util.Arrays.toString(mean) + ", std " + java.util.Arrays.toString(std);
  }

  /**
   * Preprocesses one decoded image into {@code out[offset .. offset + size())} as {@code [3, H, W]}.
   * Only the output pixels inside the crop window are resampled (each output pixel depends only on its own
   * filter taps, so this equals resizing fully, then cropping).
   */
  public void process(BufferedImage img, float[] out, int offset) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] rgb = toRgb(img);
    int tw = w;
    int th = h;
    if (doResize) {
      if (shortestEdge > 0) {
        if (w <= h) {
          tw = shortestEdge;
          th = (int) ((long) shortestEdge * h / w);
        } else {
          th = shortestEdge;
          tw = (int) ((long) shortestEdge * w / h);
        }
      } else {
        tw = resizeW;
        th = resizeH;
      }
    }
    int top = doCrop ? (th - cropH) / 2 : 0;
    int left = doCrop ? (tw - cropW) / 2 : 0;
    // window of the resized image that is kept, clipped to the image
    int y0 = Math.max(0, top);
    int y1 = Math.min(th, top + cropH);
    int x0 = Math.max(0, left);
    int x1 = Math.min(tw, left + cropW);
    int[] win = resizeWindow(rgb, w, h, tw, th, x0, x1, y0, y1, resample);
    int ww = x1 - x0;
    int hw = cropH * cropW;
    float[] scale = new float[3];
    float[] shift = new float[3];
    for (int ch = 0; ch < 3; ch++) {
      float m = doNormalize ? mean[ch] : 0f;
      float sd = doNormalize ? std[ch] : 1f;
      float r = doRescale ? (float) rescale : 1f;
      scale[ch] = r / sd;
      shift[ch] = -m / sd;
    }
    for (int y = 0; y < cropH; y++) {
      int sy = y + top;
      boolean rowIn = sy >= y0 && sy < y1;
      for (int x = 0; x < cropW; x++) {
        int sx = x + left;
        int base = offset + y * cropW + x;
        if (rowIn && sx >= x0 && sx < x1) {
          int p = win[(sy - y0) * ww + (sx - x0)];
          out[base] = ((p >>> 16) & 0xff) * scale[0] + shift[0];
          out[base + hw] = ((p >>> 8) & 0xff) * scale[1] + shift[1];
          out[base + 2 * hw] = (p & 0xff) * scale[2] + shift[2];
        } else {
          // zero padding (HF pads with 0 before rescale / normalise)
          out[base] = shift[0];
          out[base + hw] = shift[1];
          out[base + 2 * hw] = shift[2];
        }
      }
    }
  }

  /** Packed 0xRRGGBB pixels of an image; fast paths for 3-byte BGR and gray rasters (no colour conversion). */
  static int[] toRgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = new int[w * h];
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      Raster r = img.getRaster();
      int[] g = r.getSamples(0, 0, w, h, 0, (int[]) null);
      for (int i = 0; i < px.length; i++) {
        int v = g[i] & 0xff;
        px[i] = (v << 16) | (v << 8) | v;
      }
      return px;
    }
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
        && img.getRaster().getDataBuffer() instanceof DataBufferByte
        && img.getRaster().getDataBuffer().getNumBanks() == 1
        && ((DataBufferByte) img.getRaster().getDataBuffer()).getData().length == w * h * 3) {
      byte[] b = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int i = 0, j = 0; i < px.length; i++, j += 3) {
        px[i] = ((b[j + 2] & 0xff) << 16) | ((b[j + 1] & 0xff) << 8) | (b[j] & 0xff);
      }
      return px;
    }
    img.getRGB(0, 0, w, h, px, 0, w);
    for (int i = 0; i < px.length; i++) {
      px[i] &= 0xffffff;
    }
    return px;
  }

  // ---- PIL-style separable resampling (8-bit, fixed point with 22 fractional bits, as Pillow) ----

  private static final int PRECISION_BITS = 32 - 8 - 2;

  private static double bicubic(double x) {
    final double a = -0.5;
    x = Math.abs(x);
    if (x < 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0;
  }

  private static double bilinear(double x) {
    x = Math.abs(x);
    return x < 1 ? 1 - x : 0;
  }

  /** Filter by PIL resample code: 2 bilinear, 3 bicubic (default), others bicubic. */
  private static double filter(int resample, double x) {
    return resample == 2 ? bilinear(x) : bicubic(x);
  }

  private static double support(int resample) {
    return resample == 2 ? 1.0 : 2.0;
  }

  /**
   * Fixed-point coefficients of one axis: output o uses inputs {@code bounds[2o] ..} ({@code bounds[2o+1]}
   * taps) with integer weights {@code k[o]}.
   */
  static int[][] coefficients(int inSize, int outSize, int resample, int[] bounds) {
    double scale = (double) inSize / outSize;
    double fs = Math.max(scale, 1.0);
    double support = support(resample) * fs;
    int[][] k = new int[outSize][];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] w = new double[Math.max(xmax, 0)];
      double sum = 0;
      for (int x = 0; x < w.length; x++) {
        w[x] = filter(resample, (x + xmin - center + 0.5) / fs);
        sum += w[x];
      }
      int[] kk = new int[w.length];
      for (int x = 0; x < w.length; x++) {
        double v = sum != 0 ? w[x] / sum : w[x];
        kk[x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      k[o] = kk;
      bounds[2 * o] = xmin;
      bounds[2 * o + 1] = w.length;
    }
    return k;
  }

  /** Pillow's clip8: int32 accumulator (as Pillow), shifted and clamped to 0..255. */
  private static int clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return v < 0 ? 0 : v > 255 ? 255 : (int) v;
  }

  /**
   * Resizes packed RGB {@code [h, w]} to {@code [th, tw]} (horizontal pass then vertical, 8-bit rounding in
   * between, like Pillow) and returns only the window rows {@code [y0, y1)} &times; cols {@code [x0, x1)}.
   */
  static int[] resizeWindow(int[] src, int w, int h, int tw, int th, int x0, int x1, int y0, int y1,
      int resample) {
    int ww = x1 - x0;
    int wh = y1 - y0;
    if (ww <= 0 || wh <= 0) {
      return new int[0];
    }
    // vertical taps of the needed rows decide which input rows the horizontal pass must produce
    int[] vb = null;
    int[][] vk = null;
    int r0 = y0;
    int r1 = y1;
    if (th != h) {
      vb = new int[2 * th];
      vk = coefficients(h, th, resample, vb);
      r0 = Integer.MAX_VALUE;
      r1 = 0;
      for (int y = y0; y < y1; y++) {
        r0 = Math.min(r0, vb[2 * y]);
        r1 = Math.max(r1, vb[2 * y] + vb[2 * y + 1]);
      }
    }
    int rows = r1 - r0;
    int[] mid = new int[rows * ww];
    if (tw != w) {
      int[] hb = new int[2 * tw];
      int[][] hk = coefficients(w, tw, resample, hb);
      final int half = 1 << (PRECISION_BITS - 1);
      for (int y = 0; y < rows; y++) {
        int row = (y + r0) * w;
        for (int x = 0; x < ww; x++) {
          int[] kk = hk[x + x0];
          int xs = row + hb[2 * (x + x0)];
          int sr = half;
          int sg = half;
          int sb = half;
          for (int t = 0; t < kk.length; t++) {
            int p = src[xs + t];
            int k = kk[t];
            sr += ((p >>> 16) & 0xff) * k;
            sg += ((p >>> 8) & 0xff) * k;
            sb += (p & 0xff) * k;
          }
          mid[y * ww + x] = (clip8(sr) << 16) | (clip8(sg) << 8) | clip8(sb);
        }
      }
    } else {
      for (int y = 0; y < rows; y++) {
        System.arraycopy(src, (y + r0) * w + x0, mid, y * ww, ww);
      }
    }
    if (th == h) {
      if (r0 == y0 && rows == wh) {
        return mid;
      }
      int[] out = new int[wh * ww];
      System.arraycopy(mid, (y0 - r0) * ww, out, 0, wh * ww);
      return out;
    }
    int[] out = new int[wh * ww];
    final int half = 1 << (PRECISION_BITS - 1);
    int[] acc = new int[3 * ww];
    for (int y = 0; y < wh; y++) {
      int[] kk = vk[y + y0];
      int ys = vb[2 * (y + y0)] - r0;
      java.util.Arrays.fill(acc, half);
      for (int t = 0; t < kk.length; t++) {
        int k = kk[t];
        int base = (ys + t) * ww;
        for (int x = 0; x < ww; x++) {
          int p = mid[base + x];
          acc[3 * x] += ((p >>> 16) & 0xff) * k;
          acc[3 * x + 1] += ((p >>> 8) & 0xff) * k;
          acc[3 * x + 2] += (p & 0xff) * k;
        }
      }
      for (int x = 0; x < ww; x++) {
        out[y * ww + x] = (clip8(acc[3 * x]) << 16) | (clip8(acc[3 * x + 1]) << 8) | clip8(acc[3 * x + 2]);
      }
    }
    return out;
  }
}
