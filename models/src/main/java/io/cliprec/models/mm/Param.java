package io.cliprec.models.mm;

/**
 * One trainable tensor, flattened row-major, with its gradient buffer of the same length. The trainer
 * zeroes {@link #grad} before each batch and applies one Adam per param after it.
 */
public final class Param {
  final String name;
  final float[] value;
  final float[] grad;

  Param(String name, float[] value) {
    this.name = name;
    this.value = value;
    this.grad = new float[value.length];
  }

  public String name() {
    return name;
  }

  public float[] value() {
    return value;
  }

  public float[] grad() {
    return grad;
  }
}
