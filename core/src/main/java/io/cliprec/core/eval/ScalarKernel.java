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
  public void tile(float[] ud, int[] uOff, int mr, PackedItems items, int item0, int itemEnd,
      float[] out, int[] rowOff) {
    int d = items.d;
    float[] vd = items.rows;
    for (int i = item0; i < itemEnd; i++) {
      int vo = i * d;
      for (int m = 0; m < mr; m++) {
        int uo = uOff[m];
        float acc = 0f;
        for (int k = 0; k < d; k++) {
          acc = Math.fma(ud[uo + k], vd[vo + k], acc);
        }
        out[rowOff[m] + (i - item0)] = acc;
      }
    }
  }

  @Override
  public void scan(TopKSelector sel, int slot, float[] scores, int off, int item0, int len) {
    sel.scan(slot, scores, off, item0, len);
  }
}
