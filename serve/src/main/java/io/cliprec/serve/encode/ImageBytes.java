package io.cliprec.serve.encode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a request's image (base64 in JSON, or the bytes of a multipart file part) in memory (never via a file path): JPEG, PNG, BMP, GIF (ImageIO;
 * WebP only with a plugin). The pixel count is checked from the header before decoding, so a small file
 * cannot expand into a huge raster.
 */
public final class ImageBytes {
  /** Largest image decoded, in pixels (width &times; height). */
  public static final long MAX_PIXELS = 40_000_000L;

  private ImageBytes() {}

  /**
   * @param base64 standard or URL-safe base64, optionally as a {@code data:image/...;base64,} URI;
   *     whitespace and line breaks are ignored
   * @throws IllegalArgumentException with a client-facing message for bad base64 or an undecodable image
   */
  public static BufferedImage decode(String base64) {
    String s = base64;
    if (s.startsWith("data:")) {
      int comma = s.indexOf(',');
      if (comma < 0 || !s.substring(0, comma).endsWith(";base64")) {
        throw new IllegalArgumentException("\"image\" data URI must be base64 (data:image/...;base64,...)");
      }
      s = s.substring(comma + 1);
    }
    s = s.replaceAll("\\s+", "");
    byte[] bytes;
    try {
      bytes = s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s)
          : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"image\" is not valid base64: " + e.getMessage());
    }
    return decode(bytes);
  }

  /**
   * Decodes raw image file bytes (a multipart file part).
   *
   * @throws IllegalArgumentException with a client-facing message for an empty or undecodable image
   */
  public static BufferedImage decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("\"image\" is empty");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IllegalArgumentException("\"image\" is not in a supported format (JPEG, PNG, BMP, GIF)");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        long px = (long) r.getWidth(0) * r.getHeight(0);
        if (px < 1 || px > MAX_PIXELS) {
          throw new IllegalArgumentException("\"image\" is " + r.getWidth(0) + "x" + r.getHeight(0)
              + " pixels; at most " + MAX_PIXELS + " pixels are accepted");
        }
        return r.read(0);
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("\"image\"")) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("\"image\" could not be decoded: " + e.getMessage());
    }
  }
}
