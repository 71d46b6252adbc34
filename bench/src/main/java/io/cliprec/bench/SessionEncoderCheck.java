package io.cliprec.bench;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.io.DatasetFormats;
import io.cliprec.models.Models;
import io.cliprec.models.SessionEncoder;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.seq.UserSequences;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Checks a trained sequential model's plain-Java {@link SessionEncoder} against the user factors its
 * training computed with DJL/PyTorch: for every user, the encoder's output on the history before TEST
 * (train + valid items) versus {@code userFactors(TEST)}; prints the largest absolute difference and how
 * many of every {@code stride}-th user get the identical top-10 (dot product against all items).
 *
 * <pre>java ... io.cliprec.bench.SessionEncoderCheck RUN/model DATA [FORMAT] [STRIDE]</pre>
 */
public final class SessionEncoderCheck {
  private SessionEncoderCheck() {}

  public static void main(String[] args) throws Exception {
    TrainedModel m = Models.load(Path.of(args[0]));
    SessionEncoder enc = m.sessionEncoder();
    if (enc == null) {
      throw new IllegalArgumentException(args[0] + " has no session encoder");
    }
    Dataset data = DatasetFormats.read(Path.of(args[1]), args.length > 2 ? args[2] : "seq", Config.empty());
    int stride = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    UserSequences seqs = UserSequences.of(data);
    FloatMatrix users = m.userFactors(Split.TEST);
    FloatMatrix items = m.itemFactors();
    int d = items.cols();
    double worst = 0;
    int checked = 0;
    int same = 0;
    long nanos = 0;
    for (int u = 0; u < seqs.numUsers(); u++) {
      int[] hist = seqs.historyBefore(u, Split.TEST);
      if (hist.length == 0) {
        continue;
      }
      int[] rows = new int[hist.length];
      for (int j = 0; j < rows.length; j++) {
        rows[j] = hist[j] - 1; // model ids are item index + 1
      }
      long t0 = System.nanoTime();
      float[] q = enc.encode(rows);
      nanos += System.nanoTime() - t0;
      float[] want = Arrays.copyOfRange(users.data(), u * d, (u + 1) * d);
      for (int c = 0; c < d; c++) {
        worst = Math.max(worst, Math.abs(q[c] - want[c]));
      }
      if (u % stride == 0) {
        checked++;
        same += Arrays.equals(top10(q, items), top10(want, items)) ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d users, max |java - djl| = %.3g, identical top-10 for %d of %d "
        + "(every %d-th user), encode %.3f ms/session (wall)%n", data.name(), seqs.numUsers(), worst, same,
        checked, stride, nanos / 1e6 / seqs.numUsers());
  }

  private static int[] top10(float[] q, FloatMatrix v) {
    int d = v.cols();
    int[] best = new int[10];
    float[] bs = new float[10];
    Arrays.fill(bs, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < v.rows(); i++) {
      float s = 0f;
      for (int c = 0; c < d; c++) {
        s += q[c] * v.data()[i * d + c];
      }
      if (s > bs[9]) {
        int p = 9;
        while (p > 0 && s > bs[p - 1]) {
          bs[p] = bs[p - 1];
          best[p] = best[p - 1];
          p--;
        }
        bs[p] = s;
        best[p] = i;
      }
    }
    return best;
  }
}
