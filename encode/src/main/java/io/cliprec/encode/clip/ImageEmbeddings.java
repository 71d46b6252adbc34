package io.cliprec.encode.clip;

import java.util.List;

/**
 * Image embeddings of N items: {@code [N, D]} row-major unit rows where {@code present[i]}; rows of items
 * without a usable image are zero here (the pipeline fills them by policy and writes the mask).
 */
public final class ImageEmbeddings {
  public final float[] data;
  public final int n;
  public final int dim;
  public final boolean[] present;
  public final List<ImageFailure> failures;

  public ImageEmbeddings(float[] data, int n, int dim, boolean[] present, List<ImageFailure> failures) {
    this.data = data;
    this.n = n;
    this.dim = dim;
    this.present = present;
    this.failures = failures;
  }

  public int presentCount() {
    int c = 0;
    for (boolean b : present) {
      if (b) {
        c++;
      }
    }
    return c;
  }
}
