package io.cliprec.core.eval;

/** Plain-Java kernel used when the Vector API module is absent; same arithmetic as the vector one. */
final class ScalarKernel implements TopKKernel {
  static final ScalarKernel INSTANCE = new ScalarKernel();
  private static final int W = 16;

  @Override
  public int panelWidth() {
    return W;
  }

  @Override
  public void tile(float[] ud, int[] uOff, PackedItems items, int p0, int p1, float[] buf,
      int stride) {
    int d = items.d;
    float[] vd = items.rows;
    int item0 = p0 * W;
    int itemEnd = Math.min(items.n, p1 * W);
    for (int i = item0; i < itemEnd; i++) {
      int vo = i * d;
      for (int m = 0; m < MR; m++) {
        int uo = uOff[m];
        float acc = 0f;
        for (int k = 0; k < d; k++) {
          acc = Math.fma(ud[uo + k], vd[vo + k], acc);
        }
        buf[m * stride + (i - item0)] = acc;
      }
    }
  }

  @Override
  public void scan(TopKSelector sel, int slot, float[] scores, int off, int item0, int len) {
    sel.scan(slot, scores, off, item0, len);
  }
}
