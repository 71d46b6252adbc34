package io.cliprec.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.models.train.FactorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Loads saved models ({@link TrainedModel#save}). */
public final class Models {
  private Models() {}

  /**
   * Restores the model saved in {@code dir}, dispatching on the {@code format} stamp of its
   * {@code model.json}.
   */
  @SuppressWarnings("unchecked")
  public static TrainedModel load(Path dir) throws IOException {
    Path meta = dir.resolve("model.json");
    Map<String, Object> m = new ObjectMapper().readValue(meta.toFile(), Map.class);
    Object format = m.get("format");
    if (FactorModel.FORMAT.equals(format)) {
      return FactorModel.load(dir);
    }
    if (io.cliprec.models.seq.SeqFactorModel.FORMAT.equals(format)) {
      return io.cliprec.models.seq.SeqFactorModel.load(dir);
    }
    if (io.cliprec.models.ctr.CtrModel.FORMAT.equals(format)) {
      throw new IOException(meta + ": a click-through-rate model (" + m.get("model") + "): it predicts "
          + "click probabilities of given pairs and does not rank items; load it with CtrModel.load");
    }
    throw new IOException(meta + ": unknown model format '" + format + "' (known: " + FactorModel.FORMAT
        + ", " + io.cliprec.models.seq.SeqFactorModel.FORMAT + ")");
  }
}
