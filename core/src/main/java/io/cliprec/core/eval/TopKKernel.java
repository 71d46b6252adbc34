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
   * Scores of {@link #MR} users against the items of panels {@code [p0, p1)}, written to
   * {@code buf[m * stride + (i - p0 * panelWidth())]} for every user row {@code m < MR} and every item
   * slot of those panels (slots past the last item hold garbage).
   *
   * @param ud user factors, row-major {@code [*, d]}
   * @param uOff offset in {@code ud} of each of the MR user rows (repeat a row to pad)
   * @param stride row stride of {@code buf}, &ge; (p1 - p0) * panelWidth()
   */
  void tile(float[] ud, int[] uOff, PackedItems items, int p0, int p1, float[] buf, int stride);

  /** Offers {@code scores[off .. off+len)} (items {@code item0 ..}) of one slot to the selector. */
  void scan(TopKSelector sel, int slot, float[] scores, int off, int item0, int len);
}
