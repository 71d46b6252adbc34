package io.cliprec.core.eval;

import io.cliprec.core.features.FloatMatrix;

/**
 * Item factors {@code [n, d]} repacked for the micro-kernel: panels of {@code w} items, each panel stored
 * as {@code [d, w]} (k-major) so one k step reads {@code w} consecutive floats. The last panel is padded
 * with zero items. The original row-major array is kept for scalar code.
 */
final class PackedItems {
  final int n;
  final int d;
  final int w;
  final int panels;
  /** Original {@code [n, d]} row-major. */
  final float[] rows;
  /** {@code [panels, d, w]}. */
  final float[] packed;

  PackedItems(FloatMatrix items, int w, boolean pack) {
    this.n = items.rows();
    this.d = items.cols();
    this.w = w;
    this.panels = (n + w - 1) / w;
    this.rows = items.data();
    if (pack) {
      float[] p = new float[Math.multiplyExact(Math.multiplyExact(panels, d), w)];
      for (int i = 0; i < n; i++) {
        int panel = i / w;
        int j = i - panel * w;
        int base = panel * d * w + j;
        int src = i * d;
        for (int k = 0; k < d; k++) {
          p[base + k * w] = rows[src + k];
        }
      }
      this.packed = p;
    } else {
      this.packed = null;
    }
  }
}
