package io.cliprec.models.ctr;

/**
 * xDeepFM ({@code xdeepfm}; Lian et al. 2018, RecBole {@code xdeepfm.py}, CPMM {@code CTR/xDeepFM.py}):
 * first order + compressed interaction network + MLP. Defaults: {@code io/cliprec/models/config/xdeepfm.yaml}
 * (CPMM's sizes).
 */
public final class XDeepFmRecommender extends CtrRecommender {
  public static final String NAME = "xdeepfm";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected CtrNet.Kind kind() {
    return CtrNet.Kind.XDEEPFM;
  }
}
