package io.cliprec.models.mm;

import io.cliprec.core.eval.TopK;
import io.cliprec.core.features.FloatMatrix;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Exact top-k cosine neighbours of every item, as MMRec builds its item–item graphs
 * ({@code build_sim} + {@code torch.topk}): rows are L2-normalised, the k largest dot products per row are
 * kept, the item itself included (its similarity 1 is the largest). Uses the core fused top-k kernel
 * ({@link TopK}, ties by lower index). Optionally cached on disk under a key that hashes the feature
 * values (SHA-256 of shape + float bits), the modality name and k, so features from another encoder or
 * pre-trainer never reuse a stale graph (MMRec's cache file name ignored the features' provenance).
 *
 * @param n number of items
 * @param k neighbours per item
 * @param idx {@code [n, k]} neighbour item indices, most similar first
 * @param sim {@code [n, k]} their cosine similarities
 */
record KnnGraph(int n, int k, int[] idx, float[] sim) {
  private static final int MAGIC = 0x4b4e4e31; // "KNN1"

  /** kNN of already row-normalised {@code z [n, d]}. */
  static KnnGraph ofNormalized(float[] z, int n, int d, int k, int threads) {
    int kk = Math.min(k, n);
    FloatMatrix m = new FloatMatrix(n, d, z);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    int[][] top = TopK.topK(m, rows, m, (io.cliprec.core.data.CsrMatrix) null, kk, Math.max(1, threads));
    int[] idx = new int[n * kk];
    float[] sim = new float[n * kk];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < kk; t++) {
        int j = top[i][t];
        idx[i * kk + t] = j;
        sim[i * kk + t] = (float) Dense.dot(z, i * d, z, j * d, d);
      }
    }
    return new KnnGraph(n, kk, idx, sim);
  }

  /** kNN of raw features (cosine). */
  static KnnGraph of(FloatMatrix feats, int k, int threads) {
    return ofNormalized(Dense.normalizeRows(feats.data(), feats.rows(), feats.cols()), feats.rows(),
        feats.cols(), k, threads);
  }

  /**
   * kNN of raw features, read from / written to {@code cacheDir} when it is non-null (file
   * {@code knn-<modality>-k<k>-<hash>.bin}, written atomically).
   */
  static KnnGraph cached(FloatMatrix feats, String modality, int k, Path cacheDir, int threads) {
    if (cacheDir == null) {
      return of(feats, k, threads);
    }
    String safe = modality.replaceAll("[^A-Za-z0-9._-]", "_");
    Path file = cacheDir.resolve("knn-" + safe + "-k" + k + "-" + hash(feats, modality, k) + ".bin");
    try {
      if (Files.isRegularFile(file)) {
        KnnGraph g = read(file);
        if (g.n == feats.rows() && g.k == Math.min(k, feats.rows())) {
          return g;
        }
      }
      KnnGraph g = of(feats, k, threads);
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, file.getFileName().toString(), ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(g.n);
        out.writeInt(g.k);
        for (int v : g.idx) {
          out.writeInt(v);
        }
        for (float v : g.sim) {
          out.writeFloat(v);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException("kNN graph cache " + file + ": " + e.getMessage(), e);
    }
  }

  private static KnnGraph read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a cliprec kNN cache file");
      }
      int n = in.readInt();
      int k = in.readInt();
      int[] idx = new int[n * k];
      float[] sim = new float[n * k];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = in.readInt();
      }
      for (int i = 0; i < sim.length; i++) {
        sim[i] = in.readFloat();
      }
      return new KnnGraph(n, k, idx, sim);
    }
  }

  /** Hex SHA-256 (first 16 bytes) of the modality name, k, the shape and every float's bits. */
  static String hash(FloatMatrix feats, String modality, int k) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((modality + "\u0000" + k + "\u0000" + feats.rows() + "x" + feats.cols())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : feats.data()) {
        if (buf.remaining() < 4) {
          buf.flip();
          md.update(buf);
          buf.clear();
        }
        buf.putFloat(v);
      }
      buf.flip();
      md.update(buf);
      byte[] h = md.digest();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        sb.append(String.format("%02x", h[i] & 0xff));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
