package io.cliprec.models.mp4sr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.SessionEncoder;
import io.cliprec.models.mm.Dense;
import io.cliprec.models.seq.SasRecSessionEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MP4SR's session encoder for serving, in plain Java: the shared SASRec encoder run once over the text
 * view and once over the image view of the session ({@link SasRecSessionEncoder} with the input table
 * {@code MoE_m(item) + id(item)} of each modality, precomputed from the fine-tuned network), each
 * last-position state scaled to unit length and the two concatenated: {@code [ŝ_t, ŝ_v]} ({@code 2d}).
 * Its dot product with {@link Mp4srScoring}'s item factors {@code [ê_t, ê_v]} is MP4SR's score
 * {@code cos(s_t, e_t) + cos(s_v, e_v)}, so a session ranks items as a user with that history does.
 *
 * <p>Saved as {@value io.cliprec.models.SessionEncoder#FILE} (format {@value #FORMAT}) plus the two
 * SASRec encoders in {@code text/} and {@code image/}.
 */
public final class Mp4srSessionEncoder implements SessionEncoder {
  public static final String FORMAT = "cliprec-mp4sr-encoder";
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SasRecSessionEncoder text;
  private final SasRecSessionEncoder image;

  Mp4srSessionEncoder(SasRecSessionEncoder text, SasRecSessionEncoder image) {
    if (text.numItems() != image.numItems() || text.dim() != image.dim()
        || text.maxLength() != image.maxLength()) {
      throw new IllegalArgumentException("text and image encoders differ in size");
    }
    this.text = text;
    this.image = image;
  }

  /**
   * The fine-tuned network's encoder for sessions.
   *
   * @param textInput {@code [numItems + 1, d]} text-view inputs (adaptor output + ID embedding), row 0 padding
   * @param imageInput the same for the image view
   */
  static Mp4srSessionEncoder of(Mp4srNet net, float[] textInput, float[] imageInput) {
    return new Mp4srSessionEncoder(SasRecSessionEncoder.of(net.encoder(), textInput),
        SasRecSessionEncoder.of(net.encoder(), imageInput));
  }

  @Override
  public String method() {
    return "mp4sr";
  }

  @Override
  public int numItems() {
    return text.numItems();
  }

  @Override
  public int dim() {
    return 2 * text.dim();
  }

  @Override
  public int maxLength() {
    return text.maxLength();
  }

  @Override
  public float[] encode(int[] items) {
    float[] t = text.encode(items);
    float[] v = image.encode(items);
    int d = t.length;
    float[] both = Arrays.copyOf(t, 2 * d);
    System.arraycopy(v, 0, both, d, d);
    return Dense.normalizeRows(both, 2, d); // [unit(s_t), unit(s_v)]
  }

  @Override
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    text.save(dir.resolve("text"));
    image.save(dir.resolve("image"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("method", method());
    m.put("num_items", numItems());
    m.put("dim", dim());
    m.put("views", Map.of("text", "text/", "image", "image/"));
    m.put("output", "[unit(text state), unit(image state)]; score = dot product with item_factors.npy");
    AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(m));
  }

  /** Reads a directory written by {@link #save}. */
  public static Mp4srSessionEncoder load(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    Map<?, ?> m = JSON.readValue(f.toFile(), Map.class);
    if (!FORMAT.equals(m.get("format"))) {
      throw new IOException(f + ": format '" + m.get("format") + "' is not " + FORMAT);
    }
    if (!(m.get("version") instanceof Number v) || v.intValue() > VERSION) {
      throw new IOException(f + ": " + FORMAT + " version " + m.get("version") + " is not one this cliprec "
          + "reads (<= " + VERSION + ")");
    }
    try {
      return new Mp4srSessionEncoder(SasRecSessionEncoder.load(dir.resolve("text")),
          SasRecSessionEncoder.load(dir.resolve("image")));
    } catch (IllegalArgumentException e) {
      throw new IOException(dir + ": " + e.getMessage(), e);
    }
  }
}
