package io.cliprec.models.mm;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.features.Npy;
import io.cliprec.core.features.NpyArray;
import io.cliprec.core.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-view text embeddings {@code cliprec encode} writes next to the fused text: {@code views}
 * {@code [V, N, D]} row-major ({@code text_views.npy}) and, when the text shares the image's CLIP space,
 * {@code sim} {@code [N, V]} = cos(t_ik, v_i) / τ ({@code sim.npy}); null otherwise.
 */
record TextViews(int numViews, int numItems, int dim, float[] views, float[] sim) {
  static final String VIEWS_FILE = "text_views.npy";
  static final String SIM_FILE = "sim.npy";

  TextViews {
    if (views.length != (long) numViews * numItems * dim) {
      throw new IllegalArgumentException("views must be [" + numViews + ", " + numItems + ", " + dim + "]");
    }
    if (sim != null && sim.length != (long) numItems * numViews) {
      throw new IllegalArgumentException("sim must be [" + numItems + ", " + numViews + "]");
    }
  }

  /** Offset of {@code t_ik} (item i, view k) in {@link #views}. */
  int offset(int i, int k) {
    return (k * numItems + i) * dim;
  }

  /** Reads {@code dir/text_views.npy} and, when present, {@code dir/sim.npy}. */
  static TextViews read(Path dir) {
    Path vf = dir.resolve(VIEWS_FILE);
    if (!Files.isRegularFile(vf)) {
      throw new IllegalArgumentException("text_fusion needs per-view text (" + VIEWS_FILE + " [V, N, D], written"
          + " by cliprec encode) but " + vf + " does not exist; set text_views to its directory");
    }
    NpyArray a = Npy.read(vf);
    if (a.ndim() != 3) {
      throw new DataFormatException(vf, 0, null, "expected [V, N, D], found shape "
          + java.util.Arrays.toString(a.shape()));
    }
    int v = a.shape()[0];
    int n = a.shape()[1];
    float[] sim = null;
    Path sf = dir.resolve(SIM_FILE);
    if (Files.isRegularFile(sf)) {
      NpyArray s = Npy.read(sf);
      if (s.ndim() != 2 || s.shape()[0] != n || s.shape()[1] != v) {
        throw new DataFormatException(sf, 0, null, "expected [" + n + ", " + v + "] to match " + VIEWS_FILE
            + ", found " + java.util.Arrays.toString(s.shape()));
      }
      sim = s.data();
    }
    return new TextViews(v, n, a.shape()[2], a.data(), sim);
  }

  /**
   * The views for text modality {@code modality}: from config key {@code text_views} (a directory, or
   * the {@code text_views.npy} file itself) when set, else from the directory of the modality's file.
   *
   * @throws IllegalArgumentException when neither gives a directory or the row count is not numItems
   */
  static TextViews locate(Config cfg, ItemFeatures f, String modality, int numItems) {
    String conf = cfg.getString("text_views", null);
    Path dir;
    if (conf != null && !conf.isBlank()) {
      Path p = Path.of(conf);
      dir = p.getFileName() != null && p.getFileName().toString().endsWith(".npy") ? p.toAbsolutePath().getParent()
          : p;
    } else {
      Path src = f.source(modality);
      if (src == null) {
        throw new IllegalArgumentException("text_fusion: the '" + modality + "' features were not read from a"
            + " file; set text_views to the directory holding " + VIEWS_FILE);
      }
      dir = src.toAbsolutePath().getParent();
    }
    TextViews tv = read(dir);
    if (tv.numItems != numItems) {
      throw new DataFormatException(dir.resolve(VIEWS_FILE), 0, null, "has " + tv.numItems + " items per view"
          + " but the dataset has " + numItems);
    }
    return tv;
  }
}
