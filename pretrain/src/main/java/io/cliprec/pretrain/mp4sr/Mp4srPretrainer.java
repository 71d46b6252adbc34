package io.cliprec.pretrain.mp4sr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.models.TrainingHistory;
import io.cliprec.models.mp4sr.Mp4srAugment;
import io.cliprec.models.mp4sr.Mp4srLoss;
import io.cliprec.models.mp4sr.Mp4srNet;
import io.cliprec.models.mp4sr.Mp4srRecommender;
import io.cliprec.models.mp4sr.Mp4srTrainer;
import io.cliprec.models.mp4sr.PrefixSamples;
import io.cliprec.models.seq.UserSequences;
import io.cliprec.models.train.NdScalars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * MP4SR pre-training (lzz0007/MP4SR {@code mp4sr.py pretrain}, {@code proj: False}): for each batch of
 * training prefixes ({@link PrefixSamples}), random item drop (p ~ U(0, {@code item_drop_max})), the
 * text and image adaptor outputs mixed by a complementary Bernoulli mask (p ~ U(0, {@code mixup_max})),
 * both views through the shared encoder without ID embeddings, and
 * {@code L = nip_weight·(NIP_t + NIP_v) + lambda·CMCL} ({@link Mp4srLoss}, τ = {@code temperature}).
 * Early stopping on valid {@code Recall@20} scored by the sum of cosines without IDs, as the reference
 * trains this stage with RecBole's normal trainer. Defaults: the model's {@code mp4sr.yaml} merged with
 * {@code io/cliprec/pretrain/mp4sr/mp4sr.yaml}.
 */
public final class Mp4srPretrainer {
  /** Logged loss terms after the total. */
  public static final List<String> TERMS = List.of("nip_text", "nip_image", "cmcl");

  /** What {@link #pretrain} returns: the loop history. */
  public record Result(TrainingHistory history, int sequences) {}

  private Mp4srPretrainer() {}

  /** Model defaults merged with the pre-training defaults. */
  public static Config defaults() {
    return new Mp4srRecommender().defaults()
        .merge(Config.resource(Mp4srPretrainer.class, "/io/cliprec/pretrain/mp4sr/mp4sr.yaml"));
  }

  /**
   * Pre-trains on {@code data}'s training sequences and writes the best weights to {@code out}
   * ({@link Mp4srNet#save}); per-epoch checkpoints go to {@code out/checkpoint}.
   *
   * @param resume continue from {@code out/checkpoint} when it exists
   */
  public static Result pretrain(Dataset data, ItemFeatures features, Config overrides, long seed, Path out,
      boolean resume, Consumer<Mp4srTrainer.Epoch> progress) throws IOException {
    Config cfg = defaults().merge(overrides);
    Config used = cfg.with("seed", seed);
    Mp4srNet net = Mp4srRecommender.network(data, features, cfg);
    net.init(seed);
    net.encoder().freeze(io.cliprec.models.seq.SasRecNet.ITEM_EMB); // no ID embedding in pre-training
    UserSequences seqs = UserSequences.of(data);
    PrefixSamples samples = new PrefixSamples(seqs, cfg.getInt("max_seq_length"));
    double tau = cfg.getDouble("temperature");
    double lambda = cfg.getDouble("lambda");
    double w = cfg.getDouble("nip_weight");
    double mixMax = cfg.getBoolean("mflag", false) ? 0 : cfg.getDouble("mixup_max");
    boolean refMask = cfg.getBoolean("reference_mask", false);
    boolean refRows = cfg.getBoolean("reference_cmcl_rows", false);
    Mp4srTrainer.Options o = Mp4srRecommender.options(cfg, seed, cfg.getDouble("item_drop_max"), TERMS,
        out.resolve("checkpoint"), resume);
    TrainingHistory h = Mp4srTrainer.train(net, samples, o,
        (pass, m, b, rng) -> loss(pass, m, b, rng, tau, lambda, w, mixMax, refMask, refRows),
        Mp4srRecommender.validator(data, seqs, false, used, o.metric()), progress);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("dataset", data.name());
    extra.put("data_hash", data.contentHash());
    extra.put("seed", seed);
    extra.put("best_epoch", h.bestEpoch());
    extra.put("best_valid_" + h.validMetric(), h.bestValid());
    net.save(out, used, extra);
    return new Result(h, samples.size());
  }

  /** {@code [total, NIP_t, NIP_v, CMCL]} of one batch. */
  static NDArray[] loss(Mp4srNet.Pass pass, NDManager m, PrefixSamples.Batch b, SplittableRandom rng,
      double tau, double lambda, double w, double mixMax, boolean refMask, boolean refRows) {
    int[] ids = b.ids();
    NDArray et = pass.itemsAt(Mp4srNet.TEXT, ids);
    NDArray ev = pass.itemsAt(Mp4srNet.IMAGE, ids);
    NDArray xt = et;
    NDArray xv = ev;
    if (mixMax > 0) {
      float[] mk = Mp4srAugment.mixupMask(ids, rng.nextDouble() * mixMax, rng);
      NDArray swap = m.create(mk, new Shape(ids.length, 1));
      NDArray keep = swap.neg().add(1f);
      xt = et.mul(keep).add(ev.mul(swap));
      xv = ev.mul(keep).add(et.mul(swap));
    }
    NDArray st = pass.encodeLast(xt, ids, b.size(), b.len(), false).normalize(2, 1, 1e-12);
    NDArray sv = pass.encodeLast(xv, ids, b.size(), b.len(), false).normalize(2, 1, 1e-12);
    NDArray pt = pass.itemsAt(Mp4srNet.TEXT, b.targets()).normalize(2, 1, 1e-12);
    NDArray pv = pass.itemsAt(Mp4srNet.IMAGE, b.targets()).normalize(2, 1, 1e-12);
    float[] same = Mp4srLoss.sameTargetMask(b.targets());
    NDArray nipT = Mp4srLoss.nip(m, st, pt, same, tau, refMask);
    NDArray nipV = Mp4srLoss.nip(m, sv, pv, same, tau, refMask);
    NDArray cm = Mp4srLoss.cmcl(m, st, sv, same, tau, refMask, refRows);
    NDArray total = NdScalars.mul(nipT.add(nipV), (float) w).add(NdScalars.mul(cm, (float) lambda));
    return new NDArray[] {total, nipT, nipV, cm};
  }
}
