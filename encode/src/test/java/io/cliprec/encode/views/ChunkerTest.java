package io.cliprec.encode.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.encode.text.HfTokenizer;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  static HfTokenizer tok;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = ChunkerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tok = HfTokenizer.load(in.readAllBytes(), 16);
    }
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  @Test
  void shortTextIsOneChunk() {
    assertEquals(List.of("The product title is a hat."),
        new Chunker(tok).split("The product title is a hat.", "The product title is "));
  }

  @Test
  void longTextIsSplitWithRepeatedPrefixAndEveryChunkFits() {
    String prefix = "The product description is ";
    String body = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        + "sixteen seventeen eighteen nineteen twenty twentyone twentytwo";
    String text = prefix + body;
    Chunker c = new Chunker(tok);
    assertEquals(14, c.budget());
    List<String> chunks = c.split(text, prefix);
    assertTrue(chunks.size() >= 3, "chunks " + chunks);
    assertTrue(chunks.get(0).startsWith(prefix));
    StringBuilder words = new StringBuilder(chunks.get(0).substring(prefix.length()));
    for (String ch : chunks) {
      assertTrue(ch.startsWith(prefix), ch);
      assertTrue(tok.countTokens(ch) <= c.budget(), ch + " has " + tok.countTokens(ch) + " tokens");
    }
    for (int i = 1; i < chunks.size(); i++) {
      words.append(' ').append(chunks.get(i).substring(prefix.length()));
    }
    assertEquals(body, words.toString());
  }

  @Test
  void truncationIsReported() {
    HfTokenizer.Tokenized[] t = tok.encode(List.of("short", "a b c d e f g h i j k l m n o p q r s t u v"));
    assertEquals(false, t[0].truncated());
    assertEquals(true, t[1].truncated());
    assertEquals(16, t[1].length());
    assertEquals(2, tok.specialTokens());
  }
}
