package io.cliprec.core.features;

import java.util.Arrays;

/**
 * A dense row-major float32 matrix {@code [rows, cols]}. The backing array is exposed for speed
 * ({@link #data()}); element (r, c) is {@code data[r * cols + c]}.
 */
public final class FloatMatrix {
  private final int rows;
  private final int cols;
  private final float[] data;

  public FloatMatrix(int rows, int cols, float[] data) {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "shape [" + rows + "," + cols + "] does not match " + data.length + " values");
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  public FloatMatrix(int rows, int cols) {
    this(rows, cols, new float[Math.multiplyExact(rows, cols)]);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public float[] data() {
    return data;
  }

  public float get(int r, int c) {
    return data[r * cols + c];
  }

  public void set(int r, int c, float v) {
    data[r * cols + c] = v;
  }

  /** Row {@code r} as a copy. */
  public float[] row(int r) {
    return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
  }

  public FloatMatrix copy() {
    return new FloatMatrix(rows, cols, data.clone());
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + "x" + cols + "]";
  }
}
