package io.cliprec.encode.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.io.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * CLIP image preprocessing as configured by a HuggingFace {@code preprocessor_config.json}
 * (CLIPImageProcessor): convert to RGB, resize so the shortest side is {@code size.shortest_edge} (long side
 * {@code int(size * long / short)}) with PIL-style antialiased bicubic resampling (a = -0.5, 8-bit rounding
 * after each separable pass, as PIL does), center crop ({@code top = (h - ch) / 2}, zero padding when
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
    // planar uint8 channels
    int[][] planes = new int[3][w * h];
    for (int i = 0; i < w * h; i++) {
      int p = rgb[i];
      planes[0][i] = (p >>> 16) & 0xff;
      planes[1][i] = (p >>> 8) & 0xff;
      planes[2][i] = p & 0xff;
    }
    if (tw != w || th != h) {
      for (int ch = 0; ch < 3; ch++) {
        planes[ch] = resize(planes[ch], w, h, tw, th, resample);
      }
    }
    int top = doCrop ? (th - cropH) / 2 : 0;
    int left = doCrop ? (tw - cropW) / 2 : 0;
    int hw = cropH * cropW;
    for (int ch = 0; ch < 3; ch++) {
      float m = doNormalize ? mean[ch] : 0f;
      float s = doNormalize ? std[ch] : 1f;
      int[] pl = planes[ch];
      for (int y = 0; y < cropH; y++) {
        int sy = y + top;
        for (int x = 0; x < cropW; x++) {
          int sx = x + left;
          double v = sy >= 0 && sy < th && sx >= 0 && sx < tw ? pl[sy * tw + sx] : 0;
          if (doRescale) {
            v *= rescale;
          }
          out[offset + ch * hw + y * cropW + x] = (float) ((float) v - m) / s;
        }
      }
    }
  }

  /** ARGB pixels of an image, with gray images read straight from the raster (no colour-space gamma). */
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
    img.getRGB(0, 0, w, h, px, 0, w);
    return px;
  }

  // ---- PIL-style separable resampling ----

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

  /** Coefficients of one axis: for output o, taps start at {@code bounds[2o]}, count {@code bounds[2o+1]}. */
  private static double[][] coefficients(int inSize, int outSize, int resample, int[] bounds) {
    double scale = (double) inSize / outSize;
    double fs = Math.max(scale, 1.0);
    double support = support(resample) * fs;
    double[][] k = new double[outSize][];
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
      if (sum != 0) {
        for (int x = 0; x < w.length; x++) {
          w[x] /= sum;
        }
      }
      k[o] = w;
      bounds[2 * o] = xmin;
      bounds[2 * o + 1] = w.length;
    }
    return k;
  }

  private static int clip8(double v) {
    long r = Math.round(v);
    return r < 0 ? 0 : r > 255 ? 255 : (int) r;
  }

  /** Resizes one uint8 plane {@code [h, w]} to {@code [th, tw]}: horizontal pass then vertical. */
  static int[] resize(int[] src, int w, int h, int tw, int th, int resample) {
    int[] cur = src;
    int cw = w;
    if (tw != w) {
      int[] b = new int[2 * tw];
      double[][] k = coefficients(w, tw, resample, b);
      int[] dst = new int[tw * h];
      for (int y = 0; y < h; y++) {
        int row = y * w;
        for (int x = 0; x < tw; x++) {
          double s = 0;
          double[] kk = k[x];
          int x0 = b[2 * x];
          for (int t = 0; t < kk.length; t++) {
            s += kk[t] * cur[row + x0 + t];
          }
          dst[y * tw + x] = clip8(s);
        }
      }
      cur = dst;
      cw = tw;
    }
    if (th != h) {
      int[] b = new int[2 * th];
      double[][] k = coefficients(h, th, resample, b);
      int[] dst = new int[cw * th];
      for (int y = 0; y < th; y++) {
        double[] kk = k[y];
        int y0 = b[2 * y];
        for (int x = 0; x < cw; x++) {
          double s = 0;
          for (int t = 0; t < kk.length; t++) {
            s += kk[t] * cur[(y0 + t) * cw + x];
          }
          dst[y * cw + x] = clip8(s);
        }
      }
      cur = dst;
    }
    return cur;
  }
}
