package io.cliprec.core.eval;

/**
 * Evaluation settings. Defaults: K = 5, 10, 20, 50; training items masked; all cores.
 *
 * <p>STUB signature owned by the eval work; see {@link Evaluator}.
 */
public final class EvalOptions {
  private final int[] ks;
  private final MaskPolicy mask;
  private final int threads;

  private EvalOptions(int[] ks, MaskPolicy mask, int threads) {
    this.ks = ks.clone();
    this.mask = mask;
    this.threads = threads;
  }

  public static EvalOptions defaults() {
    return new EvalOptions(new int[] {5, 10, 20, 50}, MaskPolicy.TRAIN,
        Runtime.getRuntime().availableProcessors());
  }

  public int[] ks() {
    return ks.clone();
  }

  public MaskPolicy mask() {
    return mask;
  }

  public int threads() {
    return threads;
  }

  public EvalOptions withKs(int... k) {
    return new EvalOptions(k, mask, threads);
  }

  public EvalOptions withMask(MaskPolicy m) {
    return new EvalOptions(ks, m, threads);
  }

  public EvalOptions withThreads(int t) {
    return new EvalOptions(ks, mask, t);
  }
}
