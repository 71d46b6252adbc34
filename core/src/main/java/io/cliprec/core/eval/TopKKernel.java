package io.cliprec.core.eval;

/**
 * The two inner loops of the fused scorer: a register-blocked tile of dot products and a threshold scan
 * feeding a {@link TopKSelector}. Implementations must give bit-identical scores: each score is
 * {@code fma(u[d-1], v[d-1], ... fma(u[1], v[1], fma(u[0], v[0], 0)))}, accumulated in index order.
 */
interface TopKKernel {
  /** Users per micro-tile (rows of the register block). */
  int MR = 4;

  /** Items per packed panel (columns of the register block). */
  int panelWidth();

  /**
   * Scores of up to {@link #MR} users against items {@code [item0, itemEnd)} (whole panels from
   * {@code item0 / panelWidth()}), written to {@code out[rowOff[m] + (i - item0)]} for
   * {@code m < mr} and {@code i < itemEnd}.
   *
   * @param ud user factors, row-major {@code [*, d]}
   * @param uOff offset in {@code ud} of each of the MR user rows (rows &ge; mr repeat a valid row)
   */
  void tile(float[] ud, int[] uOff, int mr, PackedItems items, int item0, int itemEnd, float[] out,
      int[] rowOff);

  /** Offers {@code scores[off .. off+len)} (items {@code item0 ..}) of one slot to the selector. */
  void scan(TopKSelector sel, int slot, float[] scores, int off, int item0, int len);
}
