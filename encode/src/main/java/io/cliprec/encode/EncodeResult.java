package io.cliprec.encode;

import java.util.List;
import java.util.Map;

/**
 * What an encode run produced (all arrays row-major, rows = {@link #ids} order).
 *
 * <ul>
 *   <li>{@code text} {@code [N, Dt]}: fused text features ({@code text_feat.npy});
 *   <li>{@code textViews} {@code [V, N, D]} ({@code text_views.npy});
 *   <li>{@code image} {@code [N, D]} or null ({@code image_feat.npy});
 *   <li>{@code sim} {@code [N, V]} or null ({@code sim.npy}), cos / tau;
 *   <li>{@code imagePresent}, {@code catalogPresent} {@code [N]} masks.
 * </ul>
 */
public final class EncodeResult {
  public final List<String> ids;
  public final List<String> viewNames;
  public final int textDim;
  public final float[] text;
  public final int viewDim;
  public final float[] textViews;
  public final int imageDim;
  public final float[] image;
  public final float[] sim;
  public final boolean[] imagePresent;
  public final boolean[] catalogPresent;
  public final Map<String, Object> manifest;

  EncodeResult(List<String> ids, List<String> viewNames, int textDim, float[] text, int viewDim,
      float[] textViews, int imageDim, float[] image, float[] sim, boolean[] imagePresent,
      boolean[] catalogPresent, Map<String, Object> manifest) {
    this.ids = ids;
    this.viewNames = viewNames;
    this.textDim = textDim;
    this.text = text;
    this.viewDim = viewDim;
    this.textViews = textViews;
    this.imageDim = imageDim;
    this.image = image;
    this.sim = sim;
    this.imagePresent = imagePresent;
    this.catalogPresent = catalogPresent;
    this.manifest = manifest;
  }

  public int numItems() {
    return ids.size();
  }

  public int numViews() {
    return viewNames.size();
  }
}
