package io.cliprec.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Named float32 tensors stored back to back in one flat array, so that a Java-side optimiser
 * ({@link Adam}) owns parameters and state while DJL/PyTorch only differentiates: each step wraps the
 * tensors as fresh autograd leaves ({@link #leaves}) and reads their gradients back in the same flat
 * layout ({@link #gradients}). Declare every tensor with {@link #add} before the first
 * {@link #params()} call. Not thread-safe.
 */
public final class FlatParams {
  private final List<String> names = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Integer> offsets = new ArrayList<>();
  private final List<Boolean> frozen = new ArrayList<>();
  private int size;
  private float[] params;

  /** Declares tensor {@code name} of {@code shape}; returns its index. */
  public int add(String name, Shape shape) {
    if (params != null) {
      throw new IllegalStateException("tensors are fixed once params() was called");
    }
    names.add(name);
    shapes.add(shape);
    offsets.add(size);
    frozen.add(false);
    size = Math.addExact(size, Math.toIntExact(shape.size()));
    return names.size() - 1;
  }

  /** Tensor {@code t} gets no gradient (a fixed input such as a frozen feature table). */
  public void freeze(int t) {
    frozen.set(t, true);
  }

  /** The flat parameters (live array, zero-initialised, length = total size). */
  public float[] params() {
    if (params == null) {
      params = new float[size];
    }
    return params;
  }

  public int count() {
    return names.size();
  }

  public String name(int t) {
    return names.get(t);
  }

  public Shape shape(int t) {
    return shapes.get(t);
  }

  public int offset(int t) {
    return offsets.get(t);
  }

  /** Number of floats of tensor {@code t}. */
  public int length(int t) {
    return Math.toIntExact(shapes.get(t).size());
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  /** Index of tensor {@code name}, or -1. */
  public int index(String name) {
    return names.indexOf(name);
  }

  /** The tensors as NDArrays in {@code m}; with {@code grad} the unfrozen ones are autograd leaves. */
  public NDArray[] leaves(NDManager m, boolean grad) {
    return leaves(m, grad, new int[count()][]);
  }

  /**
   * As {@link #leaves(NDManager, boolean)}, but a 2-D tensor {@code t} with {@code rowsOf[t] != null}
   * becomes only those rows ({@code [rowsOf[t].length, cols]}, in that order): a batch that touches a few
   * rows of a large embedding table copies and differentiates only those. The gradient is the same as
   * the full table's restricted to those rows (all other rows get zero).
   */
  public NDArray[] leaves(NDManager m, boolean grad, int[][] rowsOf) {
    float[] p = params();
    NDArray[] out = new NDArray[names.size()];
    for (int t = 0; t < out.length; t++) {
      int[] rows = rowsOf[t];
      float[] buf;
      Shape shape = shapes.get(t);
      if (rows == null) {
        buf = new float[length(t)];
        System.arraycopy(p, offset(t), buf, 0, buf.length);
      } else {
        int cols = Math.toIntExact(shape.get(1));
        buf = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
          System.arraycopy(p, offset(t) + rows[r] * cols, buf, r * cols, cols);
        }
        shape = new Shape(rows.length, cols);
      }
      out[t] = m.create(buf, shape);
      if (grad && !frozen.get(t)) {
        out[t].setRequiresGradient(true);
      }
    }
    return out;
  }

  /** Gradients of {@code leaves} after backward, in the flat layout (zeros where a tensor has none). */
  public float[] gradients(NDArray[] leaves) {
    float[] g = new float[params().length];
    gradients(leaves, new int[count()][], g);
    return g;
  }

  /**
   * Writes the gradients of leaves made by {@link #leaves(NDManager, boolean, int[][])} with the same
   * {@code rowsOf} into {@code g} (flat layout, length = total size): zero everywhere, then each leaf's
   * gradient at its rows.
   */
  public void gradients(NDArray[] leaves, int[][] rowsOf, float[] g) {
    java.util.Arrays.fill(g, 0f);
    addGradients(leaves, rowsOf, g);
  }

  /**
   * Adds the gradients of leaves made by {@link #leaves(NDManager, boolean, int[][])} with the same
   * {@code rowsOf} to {@code g} (flat layout): for gradient accumulation over micro-batches.
   */
  public void addGradients(NDArray[] leaves, int[][] rowsOf, float[] g) {
    for (int t = 0; t < leaves.length; t++) {
      if (frozen.get(t) || !leaves[t].hasGradient()) {
        continue;
      }
      NDArray gr = leaves[t].getGradient();
      if (gr == null) {
        continue;
      }
      float[] v = gr.toFloatArray();
      int[] rows = rowsOf[t];
      int base = offset(t);
      if (rows == null) {
        for (int k = 0; k < v.length; k++) {
          g[base + k] += v[k];
        }
      } else {
        int cols = Math.toIntExact(shapes.get(t).get(1));
        for (int r = 0; r < rows.length; r++) {
          int to = base + rows[r] * cols;
          int from = r * cols;
          for (int k = 0; k < cols; k++) {
            g[to + k] += v[from + k];
          }
        }
      }
    }
  }
}
