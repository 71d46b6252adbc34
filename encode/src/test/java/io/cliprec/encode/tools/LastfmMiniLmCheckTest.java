package io.cliprec.encode.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Real data: the bundled MiniLM reproduces Last.fm-2K's sentence-transformers features. */
class LastfmMiniLmCheckTest {
  @Test
  void reproducesSentenceTransformersFeaturesOnASample() {
    Path dir = Path.of(System.getProperty("cliprec.data", "../shared/data")).resolve("lastfm-2k");
    Assumptions.assumeTrue(Files.isDirectory(dir), dir + " absent (../shared/data): skipping");
    LastfmMiniLmCheck.Result r = LastfmMiniLmCheck.run(dir, 150, 0, 32);
    assertEquals(150, r.cosines.length);
    System.out.printf("lastfm MiniLM sample: mean %.6f p1 %.6f min %.6f, %.1f texts/s, overhead %.3f%n",
        r.mean(), r.percentile(1), r.min(), r.stats.textsPerSecond(), r.stats.textOverhead());
    assertTrue(r.mean() >= 0.999, "mean cosine " + r.mean());
    assertTrue(r.percentile(1) >= 0.99, "p1 cosine " + r.percentile(1));
  }
}
