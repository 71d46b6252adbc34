package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonFiniteTest {
  @Test
  void namesTheTensorsHoldingNanOrInf() {
    float[] g = {0, 1, Float.NaN, 2, 3, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    // tensors a = [0, 2), b = [2, 5), c = [5, 7)
    List<String> bad = NonFinite.tensors(g, List.of("a", "b", "c"), t -> new int[] {0, 2, 5}[t]);
    assertEquals(List.of("b (1 of 3)", "c (2 of 2)"), bad);
    assertFalse(NonFinite.all(g));
    assertTrue(NonFinite.all(new float[] {0, -1, Float.MAX_VALUE}));
  }

  @Test
  void guardSkipsAndCountsThenStops() {
    List<String> warnings = new ArrayList<>();
    NonFinite.Guard guard = new NonFinite.Guard("M", 2, warnings::add);
    float[] ok = {1, 2};
    float[] nan = {1, Float.NaN};
    assertTrue(guard.accept(1, 1, 0.5f, ok, () -> "unused"));
    assertFalse(guard.accept(1, 2, 0.5f, nan, () -> "[w (1 of 2)]"));
    assertFalse(guard.accept(2, 7, Float.NaN, ok, () -> "unused"));
    assertEquals(2, guard.skipped());
    assertEquals(2, warnings.size());
    assertTrue(warnings.get(0).contains("epoch 1, batch 2") && warnings.get(0).contains("w (1 of 2)"),
        warnings.get(0));
    assertTrue(warnings.get(1).contains("non-finite loss (NaN)"), warnings.get(1));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> guard.accept(3, 1, 0.5f, nan, () -> "[w]"));
    assertTrue(e.getMessage().contains("max_nonfinite_steps=2"), e.getMessage());
  }

  @Test
  void zeroLimitStopsAtTheFirst() {
    NonFinite.Guard guard = new NonFinite.Guard("M", 0, s -> { });
    assertThrows(IllegalStateException.class,
        () -> guard.accept(1, 1, 1f, new float[] {Float.POSITIVE_INFINITY}, () -> "[x]"));
    assertThrows(IllegalArgumentException.class, () -> new NonFinite.Guard("M", -1, s -> { }));
  }
}
