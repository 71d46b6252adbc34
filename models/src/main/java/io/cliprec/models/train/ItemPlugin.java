package io.cliprec.models.train;

import io.cliprec.core.config.Config;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.mm.Dense;
import io.cliprec.models.mm.Modalities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CPMM's plug-in for embedding models (Anonymous63525/CPMM {@code CF/lightgcn.py}, {@code pretraining=True}):
 * pre-trained item tables are added to the item ID embeddings <em>before</em> propagation,
 * {@code E0'[item i] = E_id[i] + Σ_m P_m[i]}, while the EmbLoss regulariser stays on the ID rows.
 *
 * <p>Per modality m with features {@code X_m [numItems, f_m]}:
 * <ul>
 *   <li>{@code f_m == d} and no projection: {@code P_m = X_m}, frozen ({@code plugin_frozen: true}, CPMM's
 *       {@code ban_bp}) or a trainable table initialised from X_m;
 *   <li>otherwise ({@code plugin_projection: auto} with {@code f_m != d}, or {@code linear}): a trainable
 *       linear map {@code P_m = X_m · W_m + b_m}, {@code W_m [f_m, d]} xavier-uniform (as the reference
 *       initialises every Linear), {@code b_m [d]} zero. The reference instead reduces raw 512-d CLIP
 *       features to 128 by PCA and L2-normalises the rows; {@code plugin_normalize} (default {@code auto}
 *       = rows of projected features only) keeps that normalisation.
 * </ul>
 * Trainable values (unfrozen tables, W, b) live in one flat array {@link #params()} with their own
 * {@link Adam}; {@link #backward} maps {@code ∂L/∂E0'} (item rows) to their gradient:
 * {@code ∂P_m = G}, {@code ∂W_m = X_mᵀ G}, {@code ∂b_m = Σ_rows G}, {@code G = ∂L/∂E0'[items] [numItems, d]}.
 */
public final class ItemPlugin {
  private final int numItems;
  private final int d;
  private final List<Part> parts = new ArrayList<>();
  private final float[] params;
  private final float[] fixed;
  private final float[] scratch;

  /** One modality: a fixed table, a trainable table (at {@code off}) or a projection (W at off, b after). */
  private record Part(String name, float[] x, int width, boolean trainable, boolean projected, int off) {}

  private ItemPlugin(int numItems, int d, List<Part> parts, int paramCount) {
    this.numItems = numItems;
    this.d = d;
    this.parts.addAll(parts);
    this.params = new float[paramCount];
    this.fixed = new float[numItems * d];
    this.scratch = new float[numItems * d];
  }

  /** The modality names of config key {@code plugin} (a YAML list or comma-separated; empty when absent). */
  public static List<String> names(Config cfg) {
    return Modalities.names(cfg, "plugin");
  }

  /** {@code plugin_projection}: auto (project iff width != d), linear (always) or none (never). */
  public static boolean projects(Config cfg, int width, int d) {
    String p = cfg.getString("plugin_projection", "auto");
    switch (p) {
      case "auto":
        return width != d;
      case "linear":
        return true;
      case "none":
        if (width != d) {
          throw new IllegalArgumentException("plugin_projection: none needs feature width " + width
              + " == embedding size " + d + " (use auto or linear for a trainable projection)");
        }
        return false;
      default:
        throw new IllegalArgumentException("plugin_projection must be auto, linear or none, got " + p);
    }
  }

  /** {@code plugin_normalize}: auto (L2-normalise rows of projected features), true (all), false. */
  public static boolean normalizes(Config cfg, boolean projected) {
    String n = String.valueOf(cfg.get("plugin_normalize") == null ? "auto" : cfg.get("plugin_normalize"));
    switch (n) {
      case "auto":
        return projected;
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("plugin_normalize must be auto, true or false, got " + n);
    }
  }

  /**
   * The plug-in configured by {@code plugin} ({@link #names}), {@code plugin_frozen} (default true),
   * {@code plugin_projection}, {@code plugin_normalize}; null when {@code plugin} is empty.
   *
   * @param feats item features row-aligned to the dataset's items (null only when {@code plugin} is empty)
   * @param d embedding size
   * @param seed seeds the projection init
   */
  public static ItemPlugin create(Config cfg, ItemFeatures feats, int numItems, int d, long seed) {
    List<String> names = names(cfg);
    if (names.isEmpty()) {
      return null;
    }
    if (feats == null) {
      throw new IllegalArgumentException("plugin " + names + " needs item features (--features DIR)");
    }
    boolean frozen = cfg.getBoolean("plugin_frozen", true);
    List<Part> parts = new ArrayList<>();
    int off = 0;
    for (String n : names) {
      if (!feats.has(n)) {
        throw new IllegalArgumentException("plugin: item features have no '" + n + "' (have "
            + feats.names() + ")");
      }
      FloatMatrix m = feats.get(n);
      if (m.rows() != numItems) {
        throw new IllegalArgumentException("plugin: feature '" + n + "' has " + m.rows() + " rows, the"
            + " dataset " + numItems + " items");
      }
      boolean proj = projects(cfg, m.cols(), d);
      float[] x = normalizes(cfg, proj) ? Dense.normalizeRows(m.data(), m.rows(), m.cols()) : m.data();
      boolean trainable = proj || !frozen;
      parts.add(new Part(n, x, m.cols(), trainable, proj, off));
      if (proj) {
        off += m.cols() * d + d;
      } else if (trainable) {
        off += numItems * d;
      }
    }
    ItemPlugin p = new ItemPlugin(numItems, d, parts, off);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (Part part : p.parts) {
      if (part.projected) {
        Dense.xavierUniform(p.params, part.off, part.width, d, rng);
      } else if (part.trainable) {
        System.arraycopy(part.x, 0, p.params, part.off, numItems * d);
      } else {
        for (int k = 0; k < numItems * d; k++) {
          p.fixed[k] += part.x[k];
        }
      }
    }
    return p;
  }

  /** Trainable values (live array; length 0 when every table is frozen). */
  public float[] params() {
    return params;
  }

  /** Whether every part is a frozen table (the added rows never change). */
  public boolean isConstant() {
    return params.length == 0;
  }

  /** Per modality: "name:frozen", "name:table" or "name:linear(f->d)". */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Part p : parts) {
      out.add(p.name + ":" + (p.projected ? "linear(" + p.width + "->" + d + ")"
          : p.trainable ? "table" : "frozen"));
    }
    return out;
  }

  /** {@code dst[itemOff + i*d ..] = src[itemOff + ...] + Σ_m P_m[i]} for every item; user rows copied. */
  public void addTo(float[] src, float[] dst, int itemOff, Parallel par) {
    System.arraycopy(src, 0, dst, 0, itemOff);
    int len = numItems * d;
    for (int k = 0; k < len; k++) {
      dst[itemOff + k] = src[itemOff + k] + fixed[k];
    }
    for (Part p : parts) {
      if (p.projected) {
        Dense.linear(p.x, numItems, p.width, weight(p), null, d, scratch, par);
        int bo = p.off + p.width * d;
        for (int i = 0; i < numItems; i++) {
          for (int c = 0; c < d; c++) {
            dst[itemOff + i * d + c] += scratch[i * d + c] + params[bo + c];
          }
        }
      } else if (p.trainable) {
        for (int k = 0; k < len; k++) {
          dst[itemOff + k] += params[p.off + k];
        }
      }
    }
  }

  /**
   * Gradient of the trainable values from {@code gEff[itemOff ..]} = ∂L/∂E0' item rows {@code [numItems, d]}
   * into {@code grad} (overwritten, same length as {@link #params()}).
   */
  public void backward(float[] gEff, int itemOff, float[] grad, Parallel par) {
    Arrays.fill(grad, 0f);
    float[] g = null;
    for (Part p : parts) {
      if (!p.trainable) {
        continue;
      }
      if (g == null) {
        g = Arrays.copyOfRange(gEff, itemOff, itemOff + numItems * d);
      }
      if (p.projected) {
        float[] gw = new float[p.width * d];
        float[] gb = new float[d];
        Dense.linearBackward(p.x, numItems, p.width, weight(p), d, g, gw, gb, null, par);
        System.arraycopy(gw, 0, grad, p.off, gw.length);
        System.arraycopy(gb, 0, grad, p.off + gw.length, d);
      } else {
        System.arraycopy(g, 0, grad, p.off, g.length);
      }
    }
  }

  private float[] weight(Part p) {
    return Arrays.copyOfRange(params, p.off, p.off + p.width * d);
  }
}
