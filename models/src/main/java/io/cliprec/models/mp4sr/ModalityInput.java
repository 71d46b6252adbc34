package io.cliprec.models.mp4sr;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import java.util.List;

/**
 * One modality's raw item vectors: {@code k} vectors of width {@code dim} per item (MP4SR's sentence
 * embeddings of a description, or image tokens), {@code data} {@code [numItems, k, dim]} row-major, and
 * {@code present} {@code [numItems, k]} (1 = a real vector, 0 = padding: an all-zero vector).
 */
public record ModalityInput(String name, int numItems, int k, int dim, float[] data, float[] present) {

  /**
   * Stacks the features {@code names} of {@code f} as the vectors of each item; with {@code split > 1}
   * every feature row is cut into {@code split} equal vectors (several vectors stored side by side in
   * one {@code .npy}).
   */
  public static ModalityInput of(String modality, ItemFeatures f, List<String> names, int split) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException(modality + "_features must name at least one feature");
    }
    if (split < 1) {
      throw new IllegalArgumentException(modality + "_split must be >= 1, got " + split);
    }
    int n = -1;
    int width = -1;
    for (String nm : names) {
      if (!f.has(nm)) {
        throw new IllegalArgumentException("item features have no '" + nm + "' for modality " + modality
            + " (have " + f.names() + ")");
      }
      FloatMatrix m = f.get(nm);
      if (width >= 0 && m.cols() != width) {
        throw new IllegalArgumentException(modality + "_features " + names + " must share one width");
      }
      n = m.rows();
      width = m.cols();
    }
    if (width % split != 0) {
      throw new IllegalArgumentException(modality + "_split " + split + " does not divide width " + width);
    }
    int dim = width / split;
    int k = names.size() * split;
    float[] data = new float[n * k * dim];
    float[] present = new float[n * k];
    for (int j = 0; j < names.size(); j++) {
      float[] src = f.get(names.get(j)).data();
      for (int i = 0; i < n; i++) {
        for (int s = 0; s < split; s++) {
          int slot = j * split + s;
          int to = (i * k + slot) * dim;
          System.arraycopy(src, i * width + s * dim, data, to, dim);
          boolean nz = false;
          for (int c = 0; c < dim && !nz; c++) {
            nz = data[to + c] != 0f;
          }
          present[i * k + slot] = nz ? 1f : 0f;
        }
      }
    }
    return new ModalityInput(modality, n, k, dim, data, present);
  }
}
