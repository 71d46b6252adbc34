package io.cliprec.models.mp4sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Named float32 tensors stored in one flat array (the layout {@link io.cliprec.models.train.Adam}
 * updates): each training step wraps them as fresh autograd leaves ({@link #leaves}) and reads the
 * gradients back ({@link #gradients}), as {@link io.cliprec.models.seq.SasRecNet} does for its own
 * tensors. Build with {@link #add} and then {@link #seal}; not thread-safe.
 */
public final class FlatParams {
  private final List<String> names = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<Integer> offsets = new ArrayList<>();
  private int size;
  private float[] values;

  /** Declares tensor {@code name} of {@code shape}; returns its index. */
  public int add(String name, Shape shape) {
    if (values != null) {
      throw new IllegalStateException("sealed");
    }
    names.add(name);
    shapes.add(shape);
    offsets.add(size);
    size += Math.toIntExact(shape.size());
    return names.size() - 1;
  }

  /** Allocates the flat array (zeros). */
  public FlatParams seal() {
    values = new float[size];
    return this;
  }

  /** The flat values (live array). */
  public float[] values() {
    return values;
  }

  public int count() {
    return names.size();
  }

  public String name(int t) {
    return names.get(t);
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  public Shape shape(int t) {
    return shapes.get(t);
  }

  public int offset(int t) {
    return offsets.get(t);
  }

  /** Number of elements of tensor {@code t}. */
  public int size(int t) {
    return Math.toIntExact(shapes.get(t).size());
  }

  /** Index of {@code name}, or -1. */
  public int index(String name) {
    return names.indexOf(name);
  }

  /** The tensors as NDArrays in {@code m}; with {@code grad} they are autograd leaves. */
  public NDArray[] leaves(NDManager m, boolean grad) {
    NDArray[] p = new NDArray[names.size()];
    for (int t = 0; t < p.length; t++) {
      float[] buf = new float[size(t)];
      System.arraycopy(values, offset(t), buf, 0, buf.length);
      p[t] = m.create(buf, shapes.get(t));
      if (grad) {
        p[t].setRequiresGradient(true);
      }
    }
    return p;
  }

  /** Gradients of {@code p} after backward in the flat layout (zeros where a tensor got none). */
  public float[] gradients(NDArray[] p) {
    float[] g = new float[size];
    for (int t = 0; t < p.length; t++) {
      if (!p[t].hasGradient()) {
        continue;
      }
      NDArray gr = p[t].getGradient();
      if (gr != null) {
        float[] v = gr.toFloatArray();
        System.arraycopy(v, 0, g, offset(t), v.length);
      }
    }
    return g;
  }
}
