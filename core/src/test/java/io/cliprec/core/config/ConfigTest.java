package io.cliprec.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @Test
  void yamlIsFlattenedAndOverridesParseAsYamlScalars(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "# comment\nembedding_size: 64\ntrain:\n  lr: 0.001\n  stop: true\nks: [5, 10]\n");
    Config c = Config.load(f);
    assertEquals(64, c.getInt("embedding_size"));
    assertEquals(0.001, c.getDouble("train.lr"), 0);
    assertTrue(c.getBoolean("train.stop", false));
    assertArrayEquals(new int[] {5, 10}, c.getIntArray("ks", null));
    Config o = c.withOverrides(List.of("train.lr=1e-2", "embedding_size=32", "name=bpr", "ks=[20]"));
    assertEquals(0.01, o.getDouble("train.lr"), 1e-12);
    assertEquals(32, o.getInt("embedding_size"));
    assertEquals("bpr", o.getString("name", null));
    assertArrayEquals(new int[] {20}, o.getIntArray("ks", null));
    assertEquals(64, c.getInt("embedding_size"), "original unchanged");
  }

  @Test
  void wrongTypesNameTheKey() {
    Config c = Config.empty().withOverrides(List.of("epochs=ten", "flag=maybe"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("epochs"));
    assertTrue(e.getMessage().contains("'epochs'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> c.getBoolean("flag", false));
    assertTrue(e.getMessage().contains("'flag'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.withOverrides(List.of("novalue")));
    assertFalse(c.has("missing"));
    assertEquals(7, c.getInt("missing", 7));
  }

  @Test
  void badYamlNamesTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "a: [1, 2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.load(f));
    assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
  }
}
