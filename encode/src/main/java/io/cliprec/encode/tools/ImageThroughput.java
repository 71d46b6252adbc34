package io.cliprec.encode.tools;

import io.cliprec.encode.EncodeStats;
import io.cliprec.encode.clip.ClipModel;
import io.cliprec.encode.clip.ImageEmbeddings;
import io.cliprec.encode.clip.TinyClip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Image throughput of the CLIP path: generates the tiny CLIP model (224&times;224) in a temp directory, or
 * uses a given model directory, and encodes every image of a directory {@code repeat} times.
 *
 * <p>Usage: {@code ImageThroughput IMAGE_DIR [repeat] [decodeThreads] [batch] [modelDir|heavy:LAYERS]};
 * {@code heavy:12} generates a vision tower of ViT-B/32 cost ({@link TinyClip#write(Path, TinyClip.Layout,
 * long, int)}).
 */
public final class ImageThroughput {
  private ImageThroughput() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/hm-sample/images");
    int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Math.max(1,
        Runtime.getRuntime().availableProcessors() - 1);
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    String m4 = args.length > 4 ? args[4] : null;
    Path model = m4 == null || m4.startsWith("heavy:") ? null : Path.of(m4);
    Path tmp = null;
    if (model == null) {
      tmp = Files.createTempDirectory("tinyclip");
      int heavy = m4 == null ? 0 : Integer.parseInt(m4.substring("heavy:".length()));
      model = TinyClip.write(tmp, TinyClip.Layout.JOINT, 1, heavy);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    List<Path> all = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      all.addAll(files);
    }
    try (ClipModel m = ClipModel.load(model, 0, 32, batch)) {
      // warm-up on a few images (JIT, session)
      m.encodeImages(all.subList(0, Math.min(8, all.size())), threads);
      EncodeStats before = m.stats();
      long w0 = before.imageWallNanos.get();
      long i0 = before.imageInferenceNanos.get();
      long d0 = before.imageDecodeNanos.get();
      long t0 = System.nanoTime();
      ImageEmbeddings e = m.encodeImages(all, threads);
      double wall = (System.nanoTime() - t0) / 1e9;
      double infer = (m.stats().imageInferenceNanos.get() - i0) / 1e9;
      double decode = (m.stats().imageDecodeNanos.get() - d0) / 1e9;
      System.out.printf("images %d (ok %d) wall %.2f s: %.1f images/s; inference %.2f s (%.1f%%), "
          + "decode+preprocess CPU %.2f s = %.1f ms/image on %d threads; overhead share %.3f%n",
          all.size(), e.presentCount(), wall, all.size() / wall, infer, 100 * infer / wall, decode,
          1000 * decode / all.size(), threads, 1 - infer / wall);
      long unused = m.stats().imageWallNanos.get() - w0;
      assert unused >= 0;
    } finally {
      if (tmp != null) {
        try (Stream<Path> s = Files.walk(tmp)) {
          s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException ignored) {
          // temp cleanup is best effort
        }
      }
    }
  }
}
