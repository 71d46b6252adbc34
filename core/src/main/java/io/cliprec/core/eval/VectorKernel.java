package io.cliprec.core.eval;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernel: a 4-user &times; 2-vector register block (8 accumulators) over k-major item panels,
 * and a vectorised threshold scan. Loaded reflectively by {@link TopK} only when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorKernel implements TopKKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int W = 2 * L;

  public VectorKernel() {
    // probe: fail here (caught by TopK) rather than in a hot loop
    FloatVector.zero(S);
  }

  @Override
  public int panelWidth() {
    return W;
  }

  @Override
  public void tile(float[] ud, int[] uOff, PackedItems items, int p0, int p1, float[] buf,
      int stride) {
    final int d = items.d;
    final float[] pk = items.packed;
    final int o0 = uOff[0];
    final int o1 = uOff[1];
    final int o2 = uOff[2];
    final int o3 = uOff[3];
    for (int p = p0; p < p1; p++) {
      int base = p * d * W;
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      for (int k = 0; k < d; k++) {
        int vo = base + k * W;
        FloatVector v0 = FloatVector.fromArray(S, pk, vo);
        FloatVector v1 = FloatVector.fromArray(S, pk, vo + L);
        FloatVector b = FloatVector.broadcast(S, ud[o0 + k]);
        a00 = v0.fma(b, a00);
        a01 = v1.fma(b, a01);
        b = FloatVector.broadcast(S, ud[o1 + k]);
        a10 = v0.fma(b, a10);
        a11 = v1.fma(b, a11);
        b = FloatVector.broadcast(S, ud[o2 + k]);
        a20 = v0.fma(b, a20);
        a21 = v1.fma(b, a21);
        b = FloatVector.broadcast(S, ud[o3 + k]);
        a30 = v0.fma(b, a30);
        a31 = v1.fma(b, a31);
      }
      int col = (p - p0) * W;
      a00.intoArray(buf, col);
      a01.intoArray(buf, col + L);
      a10.intoArray(buf, stride + col);
      a11.intoArray(buf, stride + col + L);
      a20.intoArray(buf, 2 * stride + col);
      a21.intoArray(buf, 2 * stride + col + L);
      a30.intoArray(buf, 3 * stride + col);
      a31.intoArray(buf, 3 * stride + col + L);
    }
  }

  @Override
  public void scan(TopKSelector sel, int slot, float[] scores, int off, int item0, int len) {
    int j = 0;
    while (j < len && !sel.full(slot)) {
      sel.offer(slot, item0 + j, scores[off + j]);
      j++;
    }
    float thr = sel.threshold(slot);
    int bound = j + S.loopBound(len - j);
    for (; j < bound; j += L) {
      FloatVector v = FloatVector.fromArray(S, scores, off + j);
      VectorMask<Float> hit = v.compare(VectorOperators.GE, thr);
      if (hit.anyTrue()) {
        for (int l = 0; l < L; l++) {
          float s = scores[off + j + l];
          if (s >= thr) {
            sel.offer(slot, item0 + j + l, s);
            thr = sel.threshold(slot);
          }
        }
      }
    }
    for (; j < len; j++) {
      float s = scores[off + j];
      if (s >= thr) {
        sel.offer(slot, item0 + j, s);
        thr = sel.threshold(slot);
      }
    }
  }
}
