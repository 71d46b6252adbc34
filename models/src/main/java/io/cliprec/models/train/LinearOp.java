package io.cliprec.models.train;

/**
 * A linear map on stacked node embeddings {@code [rows, d]} (row-major float[]) with an explicit backward:
 * {@code out = M · in} and {@code gradIn = Mᵀ · gradOut}. BPR-MF uses the identity; LightGCN its layer-mean
 * propagation.
 */
public interface LinearOp {
  /** Number of rows (nodes). */
  int rows();

  /** Whether the op is the identity (callers may skip copies). */
  boolean isIdentity();

  /** {@code out[rows, d] = M · in[rows, d]}; {@code out} is overwritten. */
  void forward(float[] in, float[] out, int d, Parallel par);

  /** {@code gradIn[rows, d] = Mᵀ · gradOut[rows, d]}; {@code gradIn} is overwritten. */
  void backward(float[] gradOut, float[] gradIn, int d, Parallel par);

  /** The identity on {@code rows} rows. */
  static LinearOp identity(int rows) {
    return new LinearOp() {
      @Override
      public int rows() {
        return rows;
      }

      @Override
      public boolean isIdentity() {
        return true;
      }

      @Override
      public void forward(float[] in, float[] out, int d, Parallel par) {
        System.arraycopy(in, 0, out, 0, rows * d);
      }

      @Override
      public void backward(float[] gradOut, float[] gradIn, int d, Parallel par) {
        System.arraycopy(gradOut, 0, gradIn, 0, rows * d);
      }
    };
  }
}
