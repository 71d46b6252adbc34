package io.cliprec.models.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.models.TestData;
import io.cliprec.models.train.Parallel;
import java.lang.reflect.Field;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FREEDOM's degree-sensitive edge pruning builds a symmetric, re-normalised graph of the kept edges. */
class FreedomPruningTest {
  @Test
  void keepsTheRightNumberOfEdgesSymmetricAndNormalised() throws Exception {
    Dataset data = TestData.clustered(40, 4, 8, 6, 11L);
    try (Parallel par = new Parallel(1)) {
      FreedomModel m = (FreedomModel) MmGradientTest.create("freedom", par); // dropout 0.5
      m.preEpoch(0, new SplittableRandom(1));
      Field f = FreedomModel.class.getDeclaredField("prop");
      f.setAccessible(true);
      CsrMatrix a = ((io.cliprec.models.graph.LightGcnPropagation) f.get(m)).adjacency();
      int nnz = data.trainMatrix().nnz();
      assertEquals(2 * (int) (nnz * 0.5), a.nnz());
      int nu = data.numUsers();
      for (int r = 0; r < a.rows(); r++) {
        for (int q = a.indptr()[r]; q < a.indptr()[r + 1]; q++) {
          int c = a.indices()[q];
          assertTrue((r < nu) != (c < nu), "bipartite");
          if (r < nu) {
            assertTrue(data.trainMatrix().contains(r, c - nu), "kept edges are training edges");
          }
          double expect = 1 / Math.sqrt((a.rowLength(r) + 1e-7) * (a.rowLength(c) + 1e-7));
          assertEquals(expect, a.values()[q], 1e-6);
          boolean mirrored = false;
          for (int q2 = a.indptr()[c]; q2 < a.indptr()[c + 1]; q2++) {
            mirrored |= a.indices()[q2] == r && a.values()[q2] == a.values()[q];
          }
          assertTrue(mirrored, "symmetric");
        }
      }
      // another epoch samples another subset
      m.preEpoch(1, new SplittableRandom(2));
      CsrMatrix b = ((io.cliprec.models.graph.LightGcnPropagation) f.get(m)).adjacency();
      assertTrue(!java.util.Arrays.equals(a.indices(), b.indices()), "resampled each epoch");
    }
  }
}
