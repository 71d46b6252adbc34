package io.cliprec.encode.reindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.io.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceAlignmentTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void pairsItemsPositionByPosition() throws Exception {
    Path a = write("a.txt", "1 10 11 12\n2 12 13\n\n3 10 13\n");
    Path b = write("b.txt", "1 7 5 9\n2 9 8\n\n3 7 8\n");
    Map<String, String> m = SequenceAlignment.align(a, b);
    assertEquals(Map.of("7", "10", "5", "11", "9", "12", "8", "13"), m);
    assertEquals("[7, 5, 9, 8]", m.keySet().toString(), "order of first appearance in the target file");
  }

  @Test
  void ambiguousPairingFailsNamingTheLine() throws Exception {
    Path a = write("a.txt", "1 10 11\n2 11 10\n");
    Path swapped = write("b.txt", "1 5 6\n2 5 6\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> SequenceAlignment.align(a, swapped));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
    Path split = write("c.txt", "1 5 6\n2 7 5\n");
    e = assertThrows(DataFormatException.class, () -> SequenceAlignment.align(a, split));
    assertTrue(e.getMessage().contains("both pair with"), e.getMessage());
  }

  @Test
  void differentUsersOrLengthsFail() throws Exception {
    Path a = write("a.txt", "1 10 11\n2 11 10\n");
    assertEquals("user", assertThrows(DataFormatException.class,
        () -> SequenceAlignment.align(a, write("u.txt", "1 5 6\n3 6 5\n"))).field());
    assertEquals("items", assertThrows(DataFormatException.class,
        () -> SequenceAlignment.align(a, write("l.txt", "1 5 6\n2 6\n"))).field());
    assertThrows(DataFormatException.class, () -> SequenceAlignment.align(a, write("n.txt", "1 5 6\n")));
  }

  /** Beauty: CPMM's ids against S3-Rec's (those of beauty_items.jsonl) are one-to-one over all items. */
  @Test
  void beautyCpmmIdsAlignToS3RecIds() {
    Path dir = Path.of(System.getProperty("cliprec.data", "../shared/data")).resolve("amazon-beauty");
    Assumptions.assumeTrue(Files.isDirectory(dir), dir + " absent (../shared/data): skipping");
    Map<String, String> m = SequenceAlignment.align(dir.resolve("Beauty.s3rec.txt"),
        dir.resolve("Beauty.cpmm.txt"));
    assertEquals(12101, m.size());
    assertEquals(12101, new java.util.HashSet<>(m.values()).size());
    // line 1: S3-Rec "1 1 2 3 4 5", CPMM "1 6846 7873 4585 1 5406"
    assertEquals("1", m.get("6846"));
    assertEquals("4", m.get("1"));
  }
}
