package io.cliprec.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cliprec.core.data.Dataset;
import io.cliprec.models.TestData;
import io.cliprec.models.graph.LightGcnPropagation;
import io.cliprec.models.graph.NormalizedAdjacency;
import java.nio.file.Path;

/** Manual profiler: time per component of one training epoch on an MMRec .inter file. */
public final class ProfileRun {
  public static void main(String[] args) throws Exception {
    Dataset data = TestData.readInter(Path.of(args[0]));
    int layers = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int d = 64;
    int nu = data.numUsers();
    int n = nu + data.numItems();
    try (Parallel par = new Parallel(threads);
        NDManager base = Engine.getEngine("PyTorch").newBaseManager()) {
      LightGcnPropagation op = new LightGcnPropagation(NormalizedAdjacency.build(data.trainMatrix()), layers,
          threads * 8);
      float[] ego = EmbeddingTrainer.initEmbeddings(nu, data.numItems(), d, "xavier_uniform", 1);
      float[] fin = layers == 0 ? ego : new float[n * d];
      float[] gFin = new float[n * d];
      float[] gEgo = layers == 0 ? gFin : new float[n * d];
      Adam adam = Adam.torchDefaults(n * d, 1e-3);
      PairSampler s = new PairSampler(data);
      EmbeddingTrainer.BatchStep step = new EmbeddingTrainer.BatchStep(base, d, 1e-4f, layers == 0,
          Boolean.parseBoolean(args[3]));
      for (int rep = 0; rep < 3; rep++) {
        long tSample = 0, tFwd = 0, tStep = 0, tAdam = 0;
        long a = System.nanoTime();
        PairSampler.Epoch e = s.epoch(EmbeddingTrainer.epochRandom(1, rep + 1));
        tSample = System.nanoTime() - a;
        for (int off = 0; off < s.size(); off += 2048) {
          int bs = Math.min(2048, s.size() - off);
          long t = System.nanoTime();
          if (layers > 0) {
            op.forward(ego, fin, d, par);
          }
          long t2 = System.nanoTime();
          step.run(e, off, bs, nu, ego, fin, gFin, gEgo, op, par);
          long t3 = System.nanoTime();
          adam.update(ego, gEgo, par);
          if (layers == 0) {
            step.clearRows(gEgo);
          }
          long t4 = System.nanoTime();
          tFwd += t2 - t;
          tStep += t3 - t2;
          tAdam += t4 - t3;
        }
        System.out.printf("sample %.3f fwd %.3f step(djl+scatter+bwd) %.3f adam %.3f total %.3f%n",
            tSample / 1e9, tFwd / 1e9, tStep / 1e9, tAdam / 1e9, (System.nanoTime() - a) / 1e9);
      }
      // split step: djl only
      PairSampler.Epoch e = s.epoch(EmbeddingTrainer.epochRandom(1, 9));
      long t = System.nanoTime();
      for (int off = 0; off < s.size(); off += 2048) {
        int bs = Math.min(2048, s.size() - off);
        int[] ru = java.util.Arrays.copyOfRange(e.users(), off, off + bs);
        int[] rp = java.util.Arrays.copyOfRange(e.pos(), off, off + bs);
        int[] rq = java.util.Arrays.copyOfRange(e.neg(), off, off + bs);
        for (int k = 0; k < bs; k++) {
          rp[k] += nu;
          rq[k] += nu;
        }
        step.lossAndGrads(fin, layers == 0 ? null : ego, ru, rp, rq);
      }
      System.out.printf("djl only %.3f%n", (System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      for (int k = 0; k < 59; k++) {
        op.backward(gFin, gEgo, d, par);
      }
      System.out.printf("bwd only x59 %.3f%n", (System.nanoTime() - t) / 1e9);
    }
  }
}
