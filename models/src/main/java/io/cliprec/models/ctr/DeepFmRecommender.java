package io.cliprec.models.ctr;

/**
 * DeepFM ({@code deepfm}; Guo et al. 2017, RecBole {@code deepfm.py}): first order + FM second order +
 * MLP over the concatenated field embeddings. Defaults: {@code io/cliprec/models/config/deepfm.yaml}.
 */
public final class DeepFmRecommender extends CtrRecommender {
  public static final String NAME = "deepfm";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected CtrNet.Kind kind() {
    return CtrNet.Kind.DEEPFM;
  }
}
