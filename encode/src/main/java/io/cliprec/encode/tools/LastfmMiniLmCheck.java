package io.cliprec.encode.tools;

import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.DataFormatException;
import io.cliprec.encode.EncodeStats;
import io.cliprec.encode.text.OnnxTextEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reproduction check of a real feature file: Last.fm-2K's {@code all-MiniLM-L6-v2.npy} [1425, 384] was made
 * by sentence-transformers from the tag text in {@code lfm2k_text.tsv}. Row r of the .npy is dense item r of
 * {@code lfm2k.inter}; {@code lfm2k_og_ids.inter} holds the same rows with original artist ids, so the
 * row-by-row zip of the two .inter files maps dense item &rarr; artistID &rarr; text.
 *
 * <p>Usage: {@code LastfmMiniLmCheck DATA_DIR [limit]} (DATA_DIR = {@code shared/data/lastfm-2k}).
 */
public final class LastfmMiniLmCheck {
  private LastfmMiniLmCheck() {}

  /** Result: per-row cosine between our rows and the reference rows, plus throughput. */
  public static final class Result {
    public final double[] cosines;
    public final EncodeStats stats;

    Result(double[] cosines, EncodeStats stats) {
      this.cosines = cosines;
      this.stats = stats;
    }

    public double mean() {
      return Arrays.stream(cosines).average().orElse(Double.NaN);
    }

    /** The p-th percentile (0..100, nearest rank on the sorted values). */
    public double percentile(double p) {
      double[] s = cosines.clone();
      Arrays.sort(s);
      int k = (int) Math.ceil(p / 100.0 * s.length) - 1;
      return s[Math.max(0, Math.min(s.length - 1, k))];
    }

    public double min() {
      return Arrays.stream(cosines).min().orElse(Double.NaN);
    }
  }

  /** Texts in dense item order (index = row of all-MiniLM-L6-v2.npy). */
  public static List<String> textsByDenseItem(Path dir) {
    Map<String, String> text = new HashMap<>();
    Path tsv = dir.resolve("lfm2k_text.tsv");
    try (BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      long ln = 1;
      while ((line = r.readLine()) != null) {
        ln++;
        if (line.isEmpty()) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw new DataFormatException(tsv, ln, "text", "expected artistID<TAB>text");
        }
        text.put(line.substring(0, tab), line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path dense = dir.resolve("lfm2k.inter");
    Path og = dir.resolve("lfm2k_og_ids.inter");
    Map<Integer, String> itemToArtist = new HashMap<>();
    try (BufferedReader a = Files.newBufferedReader(dense); BufferedReader b = Files.newBufferedReader(og)) {
      a.readLine();
      b.readLine();
      String la;
      long ln = 1;
      while ((la = a.readLine()) != null) {
        ln++;
        String lb = b.readLine();
        if (lb == null) {
          throw new DataFormatException(og, ln, null, "fewer rows than " + dense);
        }
        if (la.isEmpty()) {
          continue;
        }
        int item = Integer.parseInt(la.split("\t")[1]);
        String artist = lb.split("\t")[1];
        String prev = itemToArtist.put(item, artist);
        if (prev != null && !prev.equals(artist)) {
          throw new DataFormatException(og, ln, "itemID", "dense item " + item + " maps to two artists");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < itemToArtist.size(); i++) {
      String artist = itemToArtist.get(i);
      String t = artist == null ? null : text.get(artist);
      if (t == null) {
        throw new DataFormatException(tsv, 0, "artistID", "no text for dense item " + i + " (artist " + artist + ")");
      }
      out.add(t);
    }
    return out;
  }

  /**
   * Encodes the first {@code limit} items (all when {@code limit <= 0}) with the bundled MiniLM and compares
   * with the reference rows.
   */
  public static Result run(Path dir, int limit, int threads, int batchSize) {
    List<String> texts = textsByDenseItem(dir);
    FloatMatrix ref = Npy.readMatrix(dir.resolve("all-MiniLM-L6-v2.npy"));
    int d = ref.cols();
    if (ref.rows() != texts.size()) {
      throw new IllegalStateException("reference has " + ref.rows() + " rows, texts " + texts.size());
    }
    int n = limit <= 0 ? texts.size() : Math.min(limit, texts.size());
    try (OnnxTextEncoder enc = OnnxTextEncoder.miniLm(threads, batchSize)) {
      FloatMatrix ours = enc.encode(texts.subList(0, n));
      if (ours.cols() != d) {
        throw new IllegalStateException("dimension " + ours.cols() + " != reference " + d);
      }
      double[] cos = new double[n];
      for (int i = 0; i < n; i++) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int c = 0; c < d; c++) {
          double x = ours.get(i, c);
          double y = ref.get(i, c);
          dot += x * y;
          na += x * x;
          nb += y * y;
        }
        cos[i] = dot / Math.sqrt(na * nb);
      }
      return new Result(cos, enc.stats());
    }
  }

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/lastfm-2k");
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Result r = run(dir, limit, 0, batch);
    System.out.printf("rows %d  cosine mean %.8f  p1 %.8f  min %.8f  (1 - mean = %.2e)%n", r.cosines.length,
        r.mean(), r.percentile(1), r.min(), 1 - r.mean());
    System.out.println("stats " + r.stats.summary());
  }
}
