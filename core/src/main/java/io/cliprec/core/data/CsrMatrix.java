package io.cliprec.core.data;

import java.util.Arrays;

/**
 * Compressed sparse rows of a binary (or weighted) matrix. {@code indptr[r]..indptr[r+1]} index the
 * sorted column indices of row {@code r} in {@code indices}; {@code values} is null for a binary matrix.
 * Immutable by convention: the arrays are exposed for speed, do not modify them.
 */
public final class CsrMatrix {
  private final int rows;
  private final int cols;
  private final int[] indptr;
  private final int[] indices;
  private final float[] values;

  public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values) {
    if (indptr.length != rows + 1) {
      throw new IllegalArgumentException("indptr length " + indptr.length + " != rows+1 " + (rows + 1));
    }
    if (values != null && values.length != indices.length) {
      throw new IllegalArgumentException("values/indices length mismatch");
    }
    this.rows = rows;
    this.cols = cols;
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /**
   * Binary matrix from (row, col) pairs; duplicates collapsed; pairs whose {@code keep} value is 0 are
   * skipped ({@code keep} may be null).
   */
  public static CsrMatrix binary(int rows, int cols, int[] r, int[] c, float[] keep) {
    int[] count = new int[rows + 1];
    for (int k = 0; k < r.length; k++) {
      if (keep != null && keep[k] == 0f) {
        continue;
      }
      if (r[k] < 0 || r[k] >= rows || c[k] < 0 || c[k] >= cols) {
        throw new IllegalArgumentException(
            "entry (" + r[k] + "," + c[k] + ") outside " + rows + "x" + cols);
      }
      count[r[k] + 1]++;
    }
    for (int i = 0; i < rows; i++) {
      count[i + 1] += count[i];
    }
    int[] fill = Arrays.copyOf(count, rows);
    int[] idx = new int[count[rows]];
    for (int k = 0; k < r.length; k++) {
      if (keep != null && keep[k] == 0f) {
        continue;
      }
      idx[fill[r[k]]++] = c[k];
    }
    // sort + dedupe each row
    int[] ptr = new int[rows + 1];
    int out = 0;
    for (int i = 0; i < rows; i++) {
      int s = count[i];
      int e = count[i + 1];
      Arrays.sort(idx, s, e);
      ptr[i] = out;
      int prev = -1;
      for (int k = s; k < e; k++) {
        if (idx[k] != prev) {
          idx[out++] = idx[k];
          prev = idx[k];
        }
      }
    }
    ptr[rows] = out;
    return new CsrMatrix(rows, cols, ptr, Arrays.copyOf(idx, out), null);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int nnz() {
    return indptr[rows];
  }

  public int[] indptr() {
    return indptr;
  }

  public int[] indices() {
    return indices;
  }

  /** Stored values or null for a binary matrix. */
  public float[] values() {
    return values;
  }

  public int rowLength(int r) {
    return indptr[r + 1] - indptr[r];
  }

  /** Whether (r, c) is stored (binary search in the sorted row). */
  public boolean contains(int r, int c) {
    return Arrays.binarySearch(indices, indptr[r], indptr[r + 1], c) >= 0;
  }

  /** Column indices of row {@code r} (a copy). */
  public int[] row(int r) {
    return Arrays.copyOfRange(indices, indptr[r], indptr[r + 1]);
  }

  /** The transpose (binary or weighted), rows sorted. */
  public CsrMatrix transpose() {
    int[] count = new int[cols + 1];
    for (int k = 0; k < nnz(); k++) {
      count[indices[k] + 1]++;
    }
    for (int i = 0; i < cols; i++) {
      count[i + 1] += count[i];
    }
    int[] fill = Arrays.copyOf(count, cols);
    int[] idx = new int[nnz()];
    float[] val = values == null ? null : new float[nnz()];
    for (int r = 0; r < rows; r++) {
      for (int k = indptr[r]; k < indptr[r + 1]; k++) {
        int pos = fill[indices[k]]++;
        idx[pos] = r;
        if (val != null) {
          val[pos] = values[k];
        }
      }
    }
    return new CsrMatrix(cols, rows, count, idx, val);
  }
}
