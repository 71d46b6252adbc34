package io.cliprec.models.mp4sr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.features.Npy;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.seq.SasRecNet;
import io.cliprec.models.train.Adam;
import io.cliprec.models.train.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The training loop both MP4SR stages share (RecBole {@code Trainer}): per epoch, seeded shuffled
 * batches of {@link PrefixSamples}, autograd through a {@link Mp4srNet.Pass}, global gradient-norm
 * clipping ({@code clip_grad_norm}, RecBole's {@code max_norm 5}), torch Adam with {@code weight_decay}
 * added after clipping, validation every {@code eval_step} epochs with early stopping after
 * {@code stopping_step} evaluations without improvement, the best epoch's weights restored at the end.
 *
 * <p>Checkpoints (when a directory is given): after every epoch, {@code epoch-NNNNNN/} (weights, Adam
 * moments, best weights, {@code state.json}) is written under a temporary name and renamed, then
 * {@code LATEST} is replaced atomically and older epochs are deleted. Epoch e's batch order, augmentation
 * and dropout streams derive from (seed, e), so a resumed run continues as an uninterrupted one would.
 */
public final class Mp4srTrainer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The loss of one batch: element 0 is the total that is differentiated, the rest are logged terms. */
  public interface StepLoss {
    NDArray[] loss(Mp4srNet.Pass pass, NDManager m, PrefixSamples.Batch batch, SplittableRandom rng);
  }

  /** Validation metric of the current weights (bigger is better). */
  public interface Valid {
    double validate(Mp4srNet net);
  }

  /**
   * Loop settings.
   *
   * @param dropMax item drop probability drawn per batch from U(0, dropMax); 0 = no drop
   * @param terms names of the logged loss terms after the total
   */
  public record Options(int batch, int epochs, int stoppingStep, int evalStep, double lr, double weightDecay,
      double clipNorm, int bucketing, double dropMax, String metric, List<String> terms, long seed,
      int threads, Path checkpointDir, boolean resume) {}

  /**
   * One finished epoch: mean total loss and mean of each term, validation metric (NaN when not
   * evaluated), timings and throughput in training sequences per second.
   */
  public record Epoch(int epoch, double loss, Map<String, Double> terms, double valid, double trainSeconds,
      double evalSeconds, double sequencesPerSecond, int bestEpoch, boolean improved) {}

  private Mp4srTrainer() {}

  /** Trains {@code net} in place (best weights restored) and returns the history. */
  public static TrainingHistory train(Mp4srNet net, PrefixSamples samples, Options o, StepLoss lossFn,
      Valid valid, Consumer<Epoch> listener) {
    if (o.batch() <= 0 || o.epochs() < 0 || o.evalStep() <= 0) {
      throw new IllegalArgumentException("train_batch_size, eval_step must be > 0, epochs >= 0");
    }
    if (samples.size() == 0) {
      throw new IllegalArgumentException("no training sequences (every user has fewer than 2 train items)");
    }
    SasRecNet enc = net.encoder();
    float[] pe = enc.params();
    float[] pa = net.adaptor().params();
    Adam adamE = new Adam(pe.length, o.lr(), 0.9, 0.999, 1e-8);
    Adam adamA = new Adam(pa.length, o.lr(), 0.9, 0.999, 1e-8);
    State st = new State();
    if (o.resume() && o.checkpointDir() != null && Files.isRegularFile(o.checkpointDir().resolve("LATEST"))) {
      st = load(o.checkpointDir(), pe, pa, adamE, adamA);
    }
    int idOff = enc.offset(SasRecNet.ITEM_EMB);
    int d = enc.hidden();
    Engine engine = Engine.getEngine("PyTorch");
    try (Parallel par = new Parallel(o.threads()); NDManager base = engine.newBaseManager()) {
      for (int epoch = st.epoch + 1; epoch <= o.epochs() && !st.stopped; epoch++) {
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + epoch);
        engine.setRandomSeed((int) (o.seed() * 31 + epoch));
        int[][] plan = samples.epochBatches(o.batch(), o.bucketing(), rng);
        double lossSum = 0;
        double[] termSums = new double[o.terms().size()];
        for (int[] idx : plan) {
          double dropP = o.dropMax() > 0 ? rng.nextDouble() * o.dropMax() : 0;
          PrefixSamples.Batch b = samples.batch(idx, dropP, rng);
          float[] ge;
          float[] ga;
          float[] vals;
          try (NDManager m = base.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            Mp4srNet.Pass pass = net.pass(m, true, true);
            NDArray[] l = lossFn.loss(pass, m, b, rng);
            gc.backward(l[0]);
            vals = new float[l.length];
            for (int k = 0; k < l.length; k++) {
              vals[k] = l[k].getFloat();
            }
            ge = enc.gradients(pass.p);
            ga = net.adaptor().gradients(pass.q);
          }
          if (Float.isNaN(vals[0])) {
            throw new IllegalStateException("MP4SR loss is NaN at epoch " + epoch);
          }
          java.util.Arrays.fill(ge, idOff, idOff + d, 0f); // padding_idx = 0
          clip(ge, ga, o.clipNorm());
          if (o.weightDecay() != 0) {
            addDecay(ge, pe, o.weightDecay());
            addDecay(ga, pa, o.weightDecay());
          }
          adamE.update(pe, ge, par);
          adamA.update(pa, ga, par);
          lossSum += vals[0];
          for (int k = 0; k < termSums.length && k + 1 < vals.length; k++) {
            termSums[k] += vals[k + 1];
          }
        }
        double trainSec = (System.nanoTime() - t0) / 1e9;
        double v = Double.NaN;
        double evalSec = 0;
        boolean improved = false;
        if (epoch % o.evalStep() == 0) {
          long t1 = System.nanoTime();
          v = valid.validate(net);
          evalSec = (System.nanoTime() - t1) / 1e9;
          if (v > st.bestValid) {
            st.bestValid = v;
            st.bestEpoch = epoch;
            st.bestE = pe.clone();
            st.bestA = pa.clone();
            st.curStep = 0;
            improved = true;
          } else {
            st.curStep++;
            st.stopped = st.curStep > o.stoppingStep();
          }
        }
        st.epoch = epoch;
        double meanLoss = lossSum / plan.length;
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int k = 0; k < termSums.length; k++) {
          terms.put(o.terms().get(k), termSums[k] / plan.length);
        }
        st.loss.add(meanLoss);
        st.valid.add(v);
        st.trainSeconds.add(trainSec);
        st.evalSeconds.add(evalSec);
        if (o.checkpointDir() != null) {
          save(o.checkpointDir(), st, pe, pa, adamE, adamA);
        }
        listener.accept(new Epoch(epoch, meanLoss, terms, v, trainSec, evalSec, samples.size() / trainSec,
            st.bestEpoch, improved));
      }
    }
    if (st.bestE != null) {
      System.arraycopy(st.bestE, 0, pe, 0, pe.length);
      System.arraycopy(st.bestA, 0, pa, 0, pa.length);
    }
    return new TrainingHistory(st.epoch, st.bestEpoch, st.bestValid, o.metric(), st.loss, st.valid,
        st.trainSeconds, st.evalSeconds, st.stopped);
  }

  /** Scales both gradients so that their joint L2 norm is at most {@code maxNorm} (torch's clip_grad_norm_). */
  static void clip(float[] a, float[] b, double maxNorm) {
    if (maxNorm <= 0) {
      return;
    }
    double s = 0;
    for (float x : a) {
      s += (double) x * x;
    }
    for (float x : b) {
      s += (double) x * x;
    }
    double norm = Math.sqrt(s);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (int i = 0; i < a.length; i++) {
        a[i] *= (float) coef;
      }
      for (int i = 0; i < b.length; i++) {
        b[i] *= (float) coef;
      }
    }
  }

  private static void addDecay(float[] g, float[] p, double wd) {
    for (int i = 0; i < g.length; i++) {
      g[i] += (float) wd * p[i];
    }
  }

  /** Mutable loop state (what a checkpoint holds besides weights and Adam moments). */
  private static final class State {
    int epoch;
    int bestEpoch;
    double bestValid = -1;
    int curStep;
    boolean stopped;
    float[] bestE;
    float[] bestA;
    List<Double> loss = new ArrayList<>();
    List<Double> valid = new ArrayList<>();
    List<Double> trainSeconds = new ArrayList<>();
    List<Double> evalSeconds = new ArrayList<>();
  }

  private static void save(Path dir, State st, float[] pe, float[] pa, Adam ae, Adam aa) {
    try {
      Files.createDirectories(dir);
      String name = String.format(Locale.ROOT, "epoch-%06d", st.epoch);
      Path tmp = dir.resolve(name + ".tmp");
      if (Files.exists(tmp)) {
        deleteTree(tmp);
      }
      Files.createDirectories(tmp);
      write(tmp, "encoder", pe);
      write(tmp, "adaptor", pa);
      write(tmp, "adam_m_encoder", ae.firstMoment());
      write(tmp, "adam_v_encoder", ae.secondMoment());
      write(tmp, "adam_m_adaptor", aa.firstMoment());
      write(tmp, "adam_v_adaptor", aa.secondMoment());
      if (st.bestE != null) {
        write(tmp, "best_encoder", st.bestE);
        write(tmp, "best_adaptor", st.bestA);
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("format", "cliprec-mp4sr-checkpoint");
      s.put("version", 1);
      s.put("epoch", st.epoch);
      s.put("adam_step", ae.step());
      s.put("best_epoch", st.bestEpoch);
      s.put("best_valid", st.bestValid);
      s.put("cur_step", st.curStep);
      s.put("stopped", st.stopped);
      s.put("loss", st.loss);
      s.put("valid", nanToNull(st.valid));
      s.put("train_seconds", st.trainSeconds);
      s.put("eval_seconds", st.evalSeconds);
      AtomicFiles.writeString(tmp.resolve("state.json"), JSON.writeValueAsString(s));
      Path fin = dir.resolve(name);
      if (Files.exists(fin)) {
        deleteTree(fin);
      }
      Files.move(tmp, fin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.writeString(dir.resolve("LATEST"), name + "\n");
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "epoch-*")) {
        for (Path p : ds) {
          if (!p.getFileName().toString().equals(name)) {
            deleteTree(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Double> nanToNull(List<Double> xs) {
    List<Double> out = new ArrayList<>();
    for (Double x : xs) {
      out.add(x == null || x.isNaN() ? null : x);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static State load(Path dir, float[] pe, float[] pa, Adam ae, Adam aa) {
    try {
      Path c = dir.resolve(Files.readString(dir.resolve("LATEST")).trim());
      Map<String, Object> s = JSON.readValue(c.resolve("state.json").toFile(), Map.class);
      State st = new State();
      st.epoch = ((Number) s.get("epoch")).intValue();
      st.bestEpoch = ((Number) s.get("best_epoch")).intValue();
      st.bestValid = ((Number) s.get("best_valid")).doubleValue();
      st.curStep = ((Number) s.get("cur_step")).intValue();
      st.stopped = (Boolean) s.get("stopped");
      for (Object x : (List<Object>) s.get("loss")) {
        st.loss.add(((Number) x).doubleValue());
      }
      for (Object x : (List<Object>) s.get("valid")) {
        st.valid.add(x == null ? Double.NaN : ((Number) x).doubleValue());
      }
      for (Object x : (List<Object>) s.get("train_seconds")) {
        st.trainSeconds.add(((Number) x).doubleValue());
      }
      for (Object x : (List<Object>) s.get("eval_seconds")) {
        st.evalSeconds.add(((Number) x).doubleValue());
      }
      copy(read(c, "encoder", pe.length), pe);
      copy(read(c, "adaptor", pa.length), pa);
      long step = ((Number) s.get("adam_step")).longValue();
      ae.restore(read(c, "adam_m_encoder", pe.length), read(c, "adam_v_encoder", pe.length), step);
      aa.restore(read(c, "adam_m_adaptor", pa.length), read(c, "adam_v_adaptor", pa.length), step);
      if (Files.isRegularFile(c.resolve("best_encoder.npy"))) {
        st.bestE = read(c, "best_encoder", pe.length);
        st.bestA = read(c, "best_adaptor", pa.length);
      }
      return st;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path dir, String name, float[] v) {
    Npy.write(dir.resolve(name + ".npy"), new int[] {v.length}, v);
  }

  private static float[] read(Path dir, String name, int len) {
    float[] v = Npy.read(dir.resolve(name + ".npy")).data();
    if (v.length != len) {
      throw new IllegalArgumentException("checkpoint " + dir + ": " + name + " has " + v.length
          + " values, the model " + len + " (different config?)");
    }
    return v;
  }

  private static void copy(float[] src, float[] dst) {
    System.arraycopy(src, 0, dst, 0, dst.length);
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
