package io.cliprec.encode.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  static ImagePreprocessor raw(int size) throws Exception {
    return ImagePreprocessor.of(new ObjectMapper().readTree("{\"size\":{\"shortest_edge\":" + size
        + "},\"crop_size\":" + size + ",\"resample\":3,\"do_rescale\":false,\"do_normalize\":false}"));
  }

  /** 37x23 RGB pattern; expected values computed with Pillow 12 (Image.resize BICUBIC, then crop). */
  static BufferedImage pattern() {
    BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        int r = (x * 7 + y * 13) % 256;
        int g = (x * x + 3 * y) % 256;
        int b = Math.floorMod(255 - x * 5 - y * 2, 256);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  @Test
  void downscaleMatchesPillowBicubicExactly() throws Exception {
    check(8, 25548, 465268, new float[] {63, 85, 107, 128, 150, 171, 195, 225},
        new float[] {177, 162, 146, 131, 115, 100, 84, 69});
  }

  @Test
  void upscaleMatchesPillowBicubicExactly() throws Exception {
    check(40, 638527, 966691, new float[] {46, 50, 54, 58, 62, 66, 70, 74},
        new float[] {177, 174, 172, 169, 166, 163, 160, 157});
  }

  private static void check(int size, long sum, long weighted, float[] red0, float[] blueLast) throws Exception {
    ImagePreprocessor p = raw(size);
    float[] out = new float[p.size()];
    p.process(pattern(), out, 0);
    long s = 0;
    long ws = 0;
    for (int i = 0; i < out.length; i++) {
      s += (long) out[i];
      ws = (ws + (long) out[i] * i) % 1000003;
    }
    assertEquals(sum, s);
    assertEquals(weighted, ws);
    float[] r0 = new float[8];
    float[] bl = new float[8];
    System.arraycopy(out, 0, r0, 0, 8);
    System.arraycopy(out, 2 * size * size + (size - 1) * size, bl, 0, 8);
    assertArrayEquals(red0, r0, 0f);
    assertArrayEquals(blueLast, bl, 0f);
  }

  @Test
  void centerCropRescaleAndNormalize() throws Exception {
    // no resize: 4 wide x 3 high, crop 2x2 -> top = (3-2)/2 = 0, left = (4-2)/2 = 1
    ImagePreprocessor p = ImagePreprocessor.of(new ObjectMapper().readTree("{\"do_resize\":false,"
        + "\"crop_size\":{\"height\":2,\"width\":2},\"rescale_factor\":0.5,"
        + "\"image_mean\":[1,2,3],\"image_std\":[2,4,8]}"));
    BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 4; x++) {
        img.setRGB(x, y, ((10 * y + x) << 16) | (100 << 8) | 200);
      }
    }
    float[] out = new float[p.size()];
    p.process(img, out, 0);
    // red: (v*0.5 - 1)/2 for v = 1, 2, 11, 12
    assertArrayEquals(new float[] {-0.25f, 0f, 2.25f, 2.5f}, java.util.Arrays.copyOfRange(out, 0, 4), 1e-6f);
    // green: (50 - 2)/4 = 12; blue: (100 - 3)/8 = 12.125
    assertEquals(12f, out[4], 1e-6f);
    assertEquals(12.125f, out[11], 1e-6f);
  }
}
