package io.cliprec.core.features;

import java.util.Arrays;

/**
 * An n-dimensional array read from a {@code .npy} file, converted to float32 in C (row-major) order.
 * {@link #shape()} is the numpy shape (0-D arrays have shape {@code []} and one value).
 */
public final class NpyArray {
  private final int[] shape;
  private final float[] data;
  private final String dtype;

  /**
   * @param shape numpy shape; product must equal {@code data.length}
   * @param data values in C order
   * @param dtype numpy dtype string of the source (e.g. {@code <f4}); informational
   */
  public NpyArray(int[] shape, float[] data, String dtype) {
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not match " + data.length + " values");
    }
    this.shape = shape.clone();
    this.data = data;
    this.dtype = dtype;
  }

  /** An array viewing a matrix ({@code [rows, cols]}, float32). */
  public static NpyArray of(FloatMatrix m) {
    return new NpyArray(new int[] {m.rows(), m.cols()}, m.data(), "<f4");
  }

  public int[] shape() {
    return shape.clone();
  }

  public int ndim() {
    return shape.length;
  }

  /** Values in C order (not copied). */
  public float[] data() {
    return data;
  }

  /** The dtype string of the source file ({@code <f4}, {@code >f8}, {@code <f2}, {@code <i8}, ...). */
  public String dtype() {
    return dtype;
  }

  /**
   * As a matrix: 2-D {@code [r, c]} as is, 1-D {@code [n]} as {@code [n, 1]}; other ranks fail (use
   * {@link #shape()} and {@link #data()} for {@code [V, N, D]} arrays).
   */
  public FloatMatrix toMatrix() {
    if (shape.length == 2) {
      return new FloatMatrix(shape[0], shape[1], data);
    }
    if (shape.length == 1) {
      return new FloatMatrix(shape[0], 1, data);
    }
    throw new IllegalArgumentException("array of shape " + Arrays.toString(shape) + " is not a matrix");
  }

  @Override
  public String toString() {
    return "NpyArray" + Arrays.toString(shape) + " from " + dtype;
  }
}
