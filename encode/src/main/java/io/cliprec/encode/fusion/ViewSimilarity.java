package io.cliprec.encode.fusion;

/**
 * CLIPER's per-view image&ndash;text similarity {@code s_ik = cos(t_ik, v_i) / tau}.
 *
 * <p>Items without an image (mask 0) get {@code s_ik = 0} for every view, which makes attention fusion
 * weight their views uniformly; the image mask is written beside {@code sim.npy} so they can be told apart.
 */
public final class ViewSimilarity {
  /** CLIPER's default temperature. */
  public static final double DEFAULT_TAU = 0.1;

  private ViewSimilarity() {}

  /**
   * @param views text views {@code [V, N, D]} row-major
   * @param image image embeddings {@code [N, D]} row-major
   * @param imagePresent {@code [N]} whether item i has an image (null = all)
   * @param tau temperature (&gt; 0)
   * @return similarities {@code [N, V]} row-major
   */
  public static float[] compute(float[] views, int v, int n, int d, float[] image, boolean[] imagePresent,
      double tau) {
    if (!(tau > 0)) {
      throw new IllegalArgumentException("tau must be > 0, got " + tau);
    }
    if (views.length != (long) v * n * d || image.length != (long) n * d) {
      throw new IllegalArgumentException("shapes do not match V=" + v + " N=" + n + " D=" + d);
    }
    float[] s = new float[n * v];
    for (int i = 0; i < n; i++) {
      if (imagePresent != null && !imagePresent[i]) {
        continue;
      }
      double ni = norm(image, i * d, d);
      for (int k = 0; k < v; k++) {
        int off = (k * n + i) * d;
        double dot = 0;
        for (int c = 0; c < d; c++) {
          dot += (double) views[off + c] * image[i * d + c];
        }
        double nt = norm(views, off, d);
        double cos = ni == 0 || nt == 0 ? 0 : dot / (ni * nt);
        s[i * v + k] = (float) (cos / tau);
      }
    }
    return s;
  }

  private static double norm(float[] a, int off, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) {
      s += (double) a[off + c] * a[off + c];
    }
    return Math.sqrt(s);
  }
}
