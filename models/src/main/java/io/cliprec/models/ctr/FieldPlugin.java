package io.cliprec.models.ctr;

import java.util.Locale;

/**
 * How one item-feature modality enters a CTR model.
 *
 * @param name modality name in {@link io.cliprec.core.features.ItemFeatures} ({@code image}, {@code text},
 *     {@code id}, ...)
 * @param dim feature width d
 * @param mode {@link Mode#INIT} or {@link Mode#PROJECT}
 */
public record FieldPlugin(String name, int dim, Mode mode) {
  /** How the feature rows become a field embedding of width {@code embedding_size}. */
  public enum Mode {
    /**
     * CPMM {@code CTR/xDeepFM.py replace_embedding}: a trainable per-item table initialised with the
     * feature rows (needs d = embedding_size) and fine-tuned.
     */
    INIT,
    /** The feature rows stay fixed; a learned linear layer {@code W f + b} maps them to embedding_size. */
    PROJECT;

    /** {@code init}, {@code project} or {@code auto} (INIT when d = embedding size, else PROJECT). */
    static Mode parse(String s, int dim, int embedding) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "init":
          if (dim != embedding) {
            throw new IllegalArgumentException("feature_mode init needs features of width embedding_size ("
                + embedding + "), got " + dim + ": use feature_mode project (or auto)");
          }
          return INIT;
        case "project":
          return PROJECT;
        case "auto":
          return dim == embedding ? INIT : PROJECT;
        default:
          throw new IllegalArgumentException("feature_mode must be auto, init or project, got '" + s + "'");
      }
    }
  }
}
