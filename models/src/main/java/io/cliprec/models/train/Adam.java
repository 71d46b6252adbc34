package io.cliprec.models.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense Adam over one float32 parameter array with exactly {@code torch.optim.Adam}'s update (no weight
 * decay, no amsgrad): {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²;
 * p -= (lr / (1 - b1^t)) · m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. Like PyTorch on a dense embedding
 * gradient it updates every element every step (rows with zero gradient still move by their momentum).
 * Its state (m, v, step) is exposed for checkpoints.
 */
public final class Adam {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private float lr;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float[] m;
  private final float[] v;
  private long step;

  /** @param size number of parameters */
  public Adam(int size, double lr, double beta1, double beta2, double eps) {
    this.lr = (float) lr;
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = (float) eps;
    this.m = new float[size];
    this.v = new float[size];
  }

  /** torch defaults: betas (0.9, 0.999), eps 1e-8. */
  public static Adam torchDefaults(int size, double lr) {
    return new Adam(size, lr, 0.9, 0.999, 1e-8);
  }

  /** First moment (live array, for checkpoints). */
  public float[] firstMoment() {
    return m;
  }

  /** Second moment (live array, for checkpoints). */
  public float[] secondMoment() {
    return v;
  }

  /** Changes the learning rate for the next updates (an LR scheduler, e.g. MMRec's LambdaLR). */
  public void setLearningRate(double newLr) {
    this.lr = (float) newLr;
  }

  public long step() {
    return step;
  }

  /** Restores state saved from {@link #firstMoment()}, {@link #secondMoment()}, {@link #step()}. */
  public void restore(float[] m1, float[] m2, long steps) {
    if (m1.length != m.length || m2.length != v.length) {
      throw new IllegalArgumentException("Adam state size mismatch");
    }
    System.arraycopy(m1, 0, m, 0, m.length);
    System.arraycopy(m2, 0, v, 0, v.length);
    this.step = steps;
  }

  /** One update of {@code param} with gradient {@code grad} (same length as the state). */
  public void update(float[] param, float[] grad, Parallel par) {
    step++;
    double bc1 = 1.0 - Math.pow(beta1, step);
    double bc2 = 1.0 - Math.pow(beta2, step);
    float stepSize = (float) (lr / bc1);
    float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
    float b1 = beta1;
    float b2 = beta2;
    float c1 = 1f - b1;
    float c2 = 1f - b2;
    float e = eps;
    par.forRange(param.length, (from, to) -> {
      int i = from;
      int upper = from + S.loopBound(to - from);
      for (; i < upper; i += S.length()) {
        FloatVector g = FloatVector.fromArray(S, grad, i);
        FloatVector mm = FloatVector.fromArray(S, m, i).mul(b1).add(g.mul(c1));
        FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(g.mul(g).mul(c2));
        mm.intoArray(m, i);
        vv.intoArray(v, i);
        FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(e);
        FloatVector p = FloatVector.fromArray(S, param, i);
        p.sub(mm.div(denom).mul(stepSize)).intoArray(param, i);
      }
      for (; i < to; i++) {
        float g = grad[i];
        float mm = b1 * m[i] + c1 * g;
        float vv = b2 * v[i] + c2 * (g * g);
        m[i] = mm;
        v[i] = vv;
        float denom = (float) Math.sqrt(vv) * invSqrtBc2 + e;
        param[i] -= stepSize * (mm / denom);
      }
    });
  }
}
