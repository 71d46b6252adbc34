package io.cliprec.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.models.mp4sr.Mp4srSessionEncoder;
import io.cliprec.models.seq.SasRecSessionEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sequential model's session encoder for inference: an anonymous session (item indices, oldest first)
 * &rarr; one query vector {@code [dim()]} that is scored by dot product against the model's item factors
 * ({@link TrainedModel#itemFactors()}), exactly as the model scores a known user's history. Pure Java, no
 * native engine; implementations are immutable and thread-safe, and {@link #encode} allocates only
 * O(maxLength &times; width) scratch, never items &times; d.
 *
 * <p>Saved by {@link #save} into a directory holding {@value #FILE} (with a {@code format} stamp) and the
 * weight files; {@link #load} dispatches on that stamp. A new sequential model (e.g. MP4SR) plugs in by
 * implementing this interface, saving itself from its {@link TrainedModel} and adding its format to
 * {@link #load} (MP4SR: {@link Mp4srSessionEncoder}).
 */
public interface SessionEncoder {
  /** The descriptor file every saved encoder writes. */
  String FILE = "session_encoder.json";

  /** Short name of the method, reported by the server ({@code sasrec}, ...). */
  String method();

  /** Number of items (item indices are {@code 0..numItems()-1}). */
  int numItems();

  /** Width d of the query vector (= the item factors' width). */
  int dim();

  /** Longest session the network reads; longer sessions keep their last {@code maxLength()} items. */
  int maxLength();

  /**
   * Encodes one session.
   *
   * @param items item indices in {@code [0, numItems())}, oldest first, at least one; only the last
   *     {@link #maxLength()} are read
   * @return the query vector {@code [dim()]} (a new array)
   * @throws IllegalArgumentException for an empty session or an index out of range
   */
  float[] encode(int[] items);

  /** Writes {@value #FILE} and the weights into {@code dir} (created if missing). */
  void save(Path dir) throws IOException;

  /**
   * Reads an encoder saved by {@link #save}.
   *
   * @throws IOException when {@code dir} has no {@value #FILE}, or its format is unknown or newer
   */
  static SessionEncoder load(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new IOException(dir + ": no " + FILE);
    }
    Map<?, ?> m = new ObjectMapper().readValue(f.toFile(), Map.class);
    Object format = m.get("format");
    if (SasRecSessionEncoder.FORMAT.equals(format)) {
      return SasRecSessionEncoder.load(dir);
    }
    if (Mp4srSessionEncoder.FORMAT.equals(format)) {
      return Mp4srSessionEncoder.load(dir);
    }
    throw new IOException(f + ": unknown session encoder format '" + format + "' (known: "
        + SasRecSessionEncoder.FORMAT + ", " + Mp4srSessionEncoder.FORMAT + ")");
  }
}
