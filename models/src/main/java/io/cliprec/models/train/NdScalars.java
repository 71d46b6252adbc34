package io.cliprec.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Tensor-by-scalar operations that stay correct under autograd. Use these instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code maximum(Number)}, {@code minimum(Number)} and
 * {@code pow(Number)} on anything a gradient flows through.
 *
 * <p>Why: in DJL 0.35.1's PyTorch engine, {@code x.mul(3f)} wraps the 3 in a 0-d tensor created with
 * {@code torch::from_blob} over a Java direct {@code ByteBuffer}, multiplies, and closes that tensor at once.
 * Autograd has saved the scalar for the backward pass ({@code ∂(x·s)/∂x = s}; maximum, division and power
 * save it too), but the memory still belongs to the {@code ByteBuffer}, which the garbage collector frees
 * and {@code malloc} hands out again. If a collection happens between the forward and the backward pass,
 * the gradient is computed with whatever lies there by then: with {@code System.gc()} and new 4-byte
 * direct buffers holding 1e30 in between, {@code x.mul(3f)} gave a gradient of 1e30 instead of 3 in 50 of
 * 50 tries (see {@code NdScalarsTest}).
 * During training that shows up as rare, GC-timing-dependent wrong steps: same-seed runs in one JVM that
 * differ, isolated NaN or huge gradients. Here the scalar is a tensor PyTorch allocates itself
 * ({@code full}), whose storage autograd keeps alive by reference counting, and it stays attached to the
 * input's manager; the value and therefore the result are the same.
 *
 * <p>{@code add(Number)} and {@code sub(Number)} are safe (their backward does not read the scalar), as are
 * the ops whose scalars DJL passes to PyTorch as plain numbers ({@code clip}, {@code normalize}, ...).
 */
public final class NdScalars {
  private NdScalars() {}

  /** A 0-d tensor holding {@code v}, of {@code like}'s type, in {@code like}'s manager. */
  public static NDArray of(NDArray like, float v) {
    return like.getManager().full(new Shape(), v, like.getDataType());
  }

  /** {@code x · v}. */
  public static NDArray mul(NDArray x, float v) {
    return x.mul(of(x, v));
  }

  /** {@code x / v}. */
  public static NDArray div(NDArray x, float v) {
    return x.div(of(x, v));
  }

  /** Elementwise {@code max(x, v)} (gradient split evenly at ties, as PyTorch's {@code maximum}). */
  public static NDArray maximum(NDArray x, float v) {
    return x.maximum(of(x, v));
  }
}
