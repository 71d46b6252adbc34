package io.cliprec.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrMatrixTest {
  @Test
  void binaryCollapsesDuplicatesSortsRowsAndSkipsZeroLabels() {
    int[] r = {0, 0, 2, 0, 2, 1};
    int[] c = {3, 1, 0, 3, 2, 1};
    float[] keep = {1, 1, 1, 1, 1, 0};
    CsrMatrix m = CsrMatrix.binary(3, 4, r, c, keep);
    assertEquals(4, m.nnz());
    assertArrayEquals(new int[] {1, 3}, m.row(0));
    assertArrayEquals(new int[] {}, m.row(1));
    assertArrayEquals(new int[] {0, 2}, m.row(2));
    assertTrue(m.contains(0, 3));
    assertFalse(m.contains(1, 1));
  }

  @Test
  void transposeInvertsRowsAndColumns() {
    CsrMatrix m = CsrMatrix.binary(3, 4, new int[] {0, 0, 2, 2}, new int[] {3, 1, 0, 3}, null);
    CsrMatrix t = m.transpose();
    assertEquals(4, t.rows());
    assertEquals(3, t.cols());
    assertArrayEquals(new int[] {2}, t.row(0));
    assertArrayEquals(new int[] {0}, t.row(1));
    assertArrayEquals(new int[] {}, t.row(2));
    assertArrayEquals(new int[] {0, 2}, t.row(3));
  }

  @Test
  void outOfRangeEntryIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> CsrMatrix.binary(2, 2, new int[] {0}, new int[] {2}, null));
  }

  @Test
  void idIndexKeepsFirstAppearanceOrderAndRejectsDuplicates() {
    IdIndex.Builder b = IdIndex.builder();
    assertEquals(0, b.add("b"));
    assertEquals(1, b.add("a"));
    assertEquals(0, b.add("b"));
    IdIndex idx = b.build();
    assertEquals("a", idx.id(1));
    assertEquals(-1, idx.index("zz"));
    assertThrows(IllegalArgumentException.class, () -> IdIndex.of(java.util.List.of("x", "x")));
  }
}
