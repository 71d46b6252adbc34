package io.cliprec.models.mp4sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.eval.MaskPolicy;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.EpochReport;
import io.cliprec.models.Recommender;
import io.cliprec.models.TrainContext;
import io.cliprec.models.TrainedModel;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.seq.UserSequences;
import io.cliprec.models.train.NdScalars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MP4SR fine-tuning ({@code mp4sr}; lzz0007/MP4SR {@code calculate_loss} with {@code train_stage:
 * finetune}): text and image item features through the {@link Mp4srNet} adaptors and the shared SASRec
 * encoder, the ID embedding added to the input and to each modality's item vectors, training on every
 * prefix of the training sequences ({@link PrefixSamples}) with cross-entropy over all items of
 * {@code (cos(s_t, e_t + id) + cos(s_v, e_v + id)) / temperature}; ranking by the same sum of cosines
 * ({@link Mp4srScoring}). With {@code pretrained: DIR} the encoder and adaptors start from
 * {@code cliprec pretrain mp4sr}; without it the same model trains from scratch (the "no pre-training"
 * ablation). Needs item features with {@code text_features} and {@code image_features} (default
 * {@code text}, {@code image}). Defaults: {@code io/cliprec/models/config/mp4sr.yaml}. Checkpoints every
 * epoch when the context gives a directory; resumable.
 */
public final class Mp4srRecommender implements Recommender {
  public static final String NAME = "mp4sr";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Config defaults() {
    return Config.resource(Mp4srRecommender.class, "/io/cliprec/models/config/mp4sr.yaml");
  }

  /** Builds the network for {@code data} from {@code cfg}'s feature settings. */
  public static Mp4srNet network(Dataset data, ItemFeatures feats, Config cfg) {
    feats.validateRows(data);
    ModalityInput t = ModalityInput.of("text", feats, strings(cfg, "text_features"), cfg.getInt("text_split", 1));
    ModalityInput v = ModalityInput.of("image", feats, strings(cfg, "image_features"),
        cfg.getInt("image_split", 1));
    return new Mp4srNet(data.numItems(), new ModalityInput[] {t, v}, cfg);
  }

  private static List<String> strings(Config cfg, String key) {
    List<String> out = new ArrayList<>();
    for (Object o : cfg.getList(key)) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** Full-ranking {@code metric} (e.g. Recall@20) on VALID with the history masked. */
  public static Mp4srTrainer.Valid validator(Dataset data, UserSequences seqs, boolean withId, Config used,
      String metric) {
    int at = metric.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("valid_metric must look like Recall@20, got " + metric);
    }
    EvalOptions opts = EvalOptions.defaults().withKs(Integer.parseInt(metric.substring(at + 1)))
        .withMask(MaskPolicy.HISTORY);
    return net -> Evaluator.evaluate(data, Split.VALID,
        Mp4srScoring.snapshot(net, seqs, withId, NAME, used, null, false, null), opts).get(metric);
  }

  /** The loop settings a config implies. */
  public static Mp4srTrainer.Options options(Config cfg, long seed, double dropMax, List<String> terms,
      Path checkpoints, boolean resume) {
    return new Mp4srTrainer.Options(cfg.getInt("train_batch_size"), cfg.getInt("epochs"),
        cfg.getInt("stopping_step"), cfg.getInt("eval_step", 1), cfg.getDouble("learning_rate"),
        cfg.getDouble("weight_decay", 0.0), cfg.getDouble("clip_grad_norm", 5.0),
        cfg.getInt("length_bucketing", 0), dropMax, cfg.getString("valid_metric", "Recall@20"), terms, seed,
        cfg.getInt("threads", 0), checkpoints, resume);
  }

  @Override
  public TrainedModel fit(TrainContext ctx) {
    Config cfg = defaults().merge(ctx.config());
    Dataset data = ctx.dataset();
    long seed = ctx.seed();
    Config used = cfg.with("seed", seed);
    if (!(ctx.itemFeatures() instanceof ItemFeatures)) {
      throw new IllegalArgumentException("mp4sr needs item features (--features) with text and image");
    }
    Mp4srNet net = network(data, (ItemFeatures) ctx.itemFeatures(), cfg);
    net.init(seed);
    Object pre = cfg.get("pretrained");
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("dataset", data.name());
    prov.put("data_hash", data.contentHash());
    prov.put("seed", Long.toString(seed));
    prov.put("java", System.getProperty("java.version"));
    if (pre != null && !String.valueOf(pre).isBlank()) {
      try {
        Path dir = Path.of(String.valueOf(pre));
        List<String> loaded = net.loadPretrained(dir);
        prov.put("pretrained", dir.toAbsolutePath().toString());
        prov.put("pretrained_tensors", Integer.toString(loaded.size()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    boolean withId = cfg.getBoolean("use_id", true);
    double tau = cfg.getDouble("temperature");
    UserSequences seqs = UserSequences.of(data);
    PrefixSamples samples = new PrefixSamples(seqs, cfg.getInt("max_seq_length"));
    Mp4srTrainer.Options o = options(cfg, seed, 0, List.of(), ctx.checkpointDir(), ctx.resume());
    TrainingHistory h = Mp4srTrainer.train(net, samples, o,
        (pass, m, b, rng) -> new NDArray[] {fineTuneLoss(pass, m, b, withId, tau)},
        validator(data, seqs, withId, used, o.metric()),
        e -> ctx.listener().onEpoch(new EpochReport(e.epoch(), e.loss(), e.valid(), e.trainSeconds(),
            e.evalSeconds(), e.bestEpoch(), e.improved())));
    return Mp4srScoring.snapshot(net, seqs, withId, NAME, used, h, true, prov);
  }

  /**
   * Cross-entropy over all items of {@code (ŝ_t·ê_tᵀ + ŝ_v·ê_vᵀ) / τ} at the last position of each
   * sample, {@code ê_m} = unit rows of {@code MoE_m} (+ ID table).
   */
  static NDArray fineTuneLoss(Mp4srNet.Pass pass, NDManager m, PrefixSamples.Batch b, boolean withId,
      double tau) {
    NDArray st = Mp4srScoring.unit(pass.encodeLast(pass.itemsAt(Mp4srNet.TEXT, b.ids()), b.ids(), b.size(),
        b.len(), withId));
    NDArray sv = Mp4srScoring.unit(pass.encodeLast(pass.itemsAt(Mp4srNet.IMAGE, b.ids()), b.ids(),
        b.size(), b.len(), withId));
    NDArray tt = pass.items(Mp4srNet.TEXT);
    NDArray tv = pass.items(Mp4srNet.IMAGE);
    if (withId) {
      tt = tt.add(pass.idTable());
      tv = tv.add(pass.idTable());
    }
    tt = Mp4srScoring.unit(tt).get("1:");
    tv = Mp4srScoring.unit(tv).get("1:");
    NDArray logits = NdScalars.div(st.matMul(tt.transpose()).add(sv.matMul(tv.transpose())), (float) tau);
    long[] tgt = new long[b.size()];
    for (int i = 0; i < tgt.length; i++) {
      tgt[i] = b.targets()[i] - 1;
    }
    return logits.logSoftmax(1).gather(m.create(tgt, new Shape(tgt.length, 1)), 1).mean().neg();
  }
}
