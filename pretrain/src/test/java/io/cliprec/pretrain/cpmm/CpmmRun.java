package io.cliprec.pretrain.cpmm;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.io.DatasetFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Manual runner until the CLI has {@code cliprec pretrain cpmm}: pre-trains CPMM and writes an
 * ItemFeatures directory; prints seconds per epoch and peak resident memory (VmHWM).
 *
 * <pre>
 * java ... io.cliprec.pretrain.cpmm.CpmmRun DATA FORMAT FEATURES|random:D OUT [key=value ...]
 * </pre>
 */
public final class CpmmRun {
  private CpmmRun() {}

  public static void main(String[] args) throws Exception {
    Dataset data = DatasetFormats.read(Path.of(args[0]), args[1], Config.empty());
    ItemFeatures feats;
    if (args[2].startsWith("random:")) {
      int d = Integer.parseInt(args[2].substring(7));
      SplittableRandom rng = new SplittableRandom(1);
      Map<String, FloatMatrix> m = new LinkedHashMap<>();
      for (String name : List.of("image", "text")) {
        float[] x = new float[data.numItems() * d];
        for (int k = 0; k < x.length; k++) {
          x[k] = (float) rng.nextDouble(-1, 1);
        }
        m.put(name, new FloatMatrix(data.numItems(), d, x));
      }
      feats = new ItemFeatures(m, Map.of("source", "random"));
    } else {
      feats = ItemFeatures.read(Path.of(args[2]));
    }
    List<String> over = new ArrayList<>();
    for (int k = 4; k < args.length; k++) {
      over.add(args[k]);
    }
    Config cfg = Config.empty().withOverrides(over);
    long seed = cfg.getLong("seed", 42);
    System.out.println(data + " features " + feats);
    long t0 = System.nanoTime();
    ItemFeatures out = CpmmPretrainer.pretrain(data, feats, cfg, seed, s -> System.out.printf(
        "epoch %d loss %.4f (contrastive %.4f gap %.4f co %.4f) %.2fs%n", s.epoch(), s.loss(),
        s.contrastive(), s.gap(), s.coInteraction(), s.seconds()));
    System.out.printf("total %.1fs, co-interaction edges %s, peak RSS %s%n", (System.nanoTime() - t0) / 1e9,
        out.provenance().get("co_interaction_edges"), vmHwm());
    out.write(Path.of(args[3]));
    System.out.println("wrote " + out + " to " + args[3]);
  }

  private static String vmHwm() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM")) {
        return l.substring(6).trim();
      }
    }
    return "?";
  }
}
