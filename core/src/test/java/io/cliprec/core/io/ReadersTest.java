package io.cliprec.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
  @TempDir Path dir;

  Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  static int[] pairs(Interactions in) {
    int[] out = new int[in.size() * 2];
    for (int r = 0; r < in.size(); r++) {
      out[2 * r] = in.user(r);
      out[2 * r + 1] = in.item(r);
    }
    return out;
  }

  @Test
  void registeredFormats() {
    assertEquals(List.of("mmrec", "seq", "cpmm-cf", "cpmm-ctr", "recbole", "csv"), DatasetFormats.names());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatasetFormats.reader("nope"));
    assertTrue(e.getMessage().contains("mmrec"), e.getMessage());
  }

  @Test
  void mmrecIdentityIdsAndSplits() throws IOException {
    Path f = write("toy.inter", "userID\titemID\trating\ttimestamp\tx_label\n"
        + "0\t3\t-1\t-1\t0\n1\t0\t-1\t-1\t0\n0\t1\t-1\t-1\t1\n\n2\t4\t-1\t-1\t2\r\n");
    assertEquals(List.of("mmrec"), DatasetFormats.detect(f));
    Dataset d = DatasetFormats.read(f, null, Config.empty());
    assertEquals(3, d.numUsers());
    assertEquals(5, d.numItems()); // identity over 0..max, item 2 has no rows
    assertEquals("3", d.items().id(3));
    assertArrayEquals(new int[] {0, 3, 1, 0}, pairs(d.train()));
    assertArrayEquals(new int[] {0, 1}, pairs(d.valid()));
    assertArrayEquals(new int[] {2, 4}, pairs(d.test()));
    assertFalse(d.train().hasRatings(), "all -1 ratings are dropped");
    assertFalse(d.train().hasTimestamps());
    assertEquals(Protocol.MMREC, d.protocol());
    assertEquals("given", d.meta().get("split"));
    // the directory works too when it holds exactly one MMRec file
    assertEquals(d.contentHash(), DatasetFormats.read(dir, "mmrec", Config.empty()).contentHash());
  }

  @Test
  void mmrecWithoutTimestampAndWiderIndex() throws IOException {
    Path f = write("lfm.inter", "userID\titemID\trating\tx_label\n0\t1\t1\t0\n0\t2\t1\t2\n");
    Dataset d = DatasetFormats.read(f, "mmrec", Config.of(Map.of("mmrec.num_items", 10)));
    assertEquals(10, d.numItems());
    assertTrue(d.train().hasRatings());
    assertEquals(1f, d.train().rating(0));
  }

  @Test
  void mmrecDirectoryWithTwoFilesAsksForTheFile() throws IOException {
    String body = "userID\titemID\tx_label\n0\t0\t0\n";
    write("a.inter", body);
    write("b.inter", body);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(dir, "mmrec", Config.empty()));
    assertTrue(e.getMessage().contains("pass the file path"), e.getMessage());
    assertTrue(e.getMessage().contains("a.inter") && e.getMessage().contains("b.inter"));
  }

  @Test
  void sequenceLeaveOneOut() throws IOException {
    Path f = write("toy.txt", "1 10 20 30 40\n2 20 50\n3 30\n");
    assertEquals(List.of("seq"), DatasetFormats.detect(f));
    Dataset d = DatasetFormats.read(f, null, Config.empty());
    assertEquals(Protocol.LEAVE_ONE_OUT, d.protocol());
    assertEquals(List.of("1", "2", "3"), d.users().ids());
    assertEquals(List.of("10", "20", "30", "40", "50"), d.items().ids()); // ascending numeric
    // user 0: 10 20 train, 30 valid, 40 test; user 1 (2 items): 20 train, 50 test; user 2: 30 train
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2}, pairs(d.train()));
    assertArrayEquals(new int[] {0, 2}, pairs(d.valid()));
    assertArrayEquals(new int[] {0, 3, 1, 4}, pairs(d.test()));
    assertEquals(0, d.train().timestamp(0));
    assertEquals(1, d.train().timestamp(1));
    assertEquals(2, d.valid().timestamp(0));
    assertEquals(3, d.test().timestamp(0));
  }

  @Test
  void sequenceItemIndexIsNumericNotLexicographic() throws IOException {
    Path f = write("s.txt", "1 100 9 10 2\n");
    Dataset d = DatasetFormats.read(f, "seq", Config.empty());
    assertEquals(List.of("2", "9", "10", "100"), d.items().ids());
  }

  @Test
  void cpmmCfTripleFromDirOrFile() throws IOException {
    write("Toy_train.csv", "user_id,item_id\n1,5\n1,7\n2,5\n");
    write("Toy_val.csv", "user_id,item_id\n1,9\n");
    Path test = write("Toy_test.csv", "user_id,item_id\n2,7\n");
    assertEquals(List.of("cpmm-cf"), DatasetFormats.detect(dir));
    Dataset a = DatasetFormats.read(dir, null, Config.empty());
    Dataset b = DatasetFormats.read(test, null, Config.empty());
    assertEquals(a.contentHash(), b.contentHash());
    assertEquals("Toy", a.name());
    assertEquals(List.of("5", "7", "9"), a.items().ids());
    assertEquals(List.of(3, 1, 1), List.of(a.train().size(), a.valid().size(), a.test().size()));
    assertArrayEquals(new int[] {1, 1}, pairs(a.test()));
    assertEquals(Protocol.MMREC, a.protocol());
  }

  @Test
  void cpmmCfMissingPartIsNamed() throws IOException {
    write("Toy_train.csv", "user_id,item_id\n1,5\n");
    write("Toy_test.csv", "user_id,item_id\n1,6\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(dir, "cpmm-cf", Config.empty()));
    assertTrue(e.getMessage().contains("Toy_val.csv"), e.getMessage());
  }

  @Test
  void cpmmCtrLabelsTimesAndClass() throws IOException {
    String h = "user_id,item_id,class,reviewTime,overall\n";
    write("train_set_Toy_CTR.csv", h + "1,5,3,2014-04-01,1\n2,5,3,2014-04-02,0\n");
    Path t = write("test_set_Toy_CTR.csv", h + "1,8,6,2015-01-01,0\n");
    assertEquals(List.of("cpmm-ctr"), DatasetFormats.detect(t));
    Dataset d = DatasetFormats.read(t, null, Config.empty());
    assertEquals(Protocol.CTR, d.protocol());
    assertEquals(2, d.train().size());
    assertEquals(0, d.valid().size());
    assertEquals(1f, d.train().label(0));
    assertEquals(0f, d.train().label(1));
    assertEquals(java.time.LocalDate.of(2014, 4, 1).toEpochDay() * 86400, d.train().timestamp(0));
    assertEquals("6", d.itemAttributes().get(d.items().index("8"), "class"));
    // CTR negatives are excluded from the train matrix
    assertEquals(1, d.trainMatrix().nnz());
  }

  @Test
  void cpmmCtrWithoutTrainFileSaysSo() throws IOException {
    Path t = write("test_set_Toy_CTR.csv", "user_id,item_id,class,reviewTime,overall\n1,8,6,2015-01-01,0\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(t, null, Config.empty()));
    assertTrue(e.getMessage().contains("train file is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("train_set_Toy_CTR.csv"), e.getMessage());
  }

  @Test
  void recboleWholeFileIsRatioSplitWithItemAttributes() throws IOException {
    StringBuilder sb = new StringBuilder("user_id:token\titem_id:token\trating:float\ttimestamp:float\n");
    for (int u = 0; u < 4; u++) {
      for (int i = 0; i < 12; i++) {
        sb.append("u").append(u).append('\t').append(100 + i).append('\t').append(3).append('\t')
            .append(1000 + i).append('\n');
      }
    }
    Path f = write("toy/toy.inter", sb.toString());
    write("toy/toy.item", "item_id:token\ttitle:token_seq\tyear:token\n100\tToy Story\t1995\n999\tNope\t1\n");
    assertEquals(List.of("recbole"), DatasetFormats.detect(f));
    Dataset raw = DatasetFormats.readRaw(f, null, Config.empty());
    assertEquals("none", raw.meta().get("split"));
    assertEquals(48, raw.train().size());
    Dataset d = DatasetFormats.read(f.getParent(), null, Config.empty());
    assertEquals("ratio", d.meta().get("split"));
    assertEquals(48, d.train().size() + d.valid().size() + d.test().size());
    // 12 rows per user: held = floor(12 * 0.2) = 2 -> 1 valid, 1 test
    assertEquals(40, d.train().size());
    assertEquals(4, d.valid().size());
    assertEquals(List.of("title", "year"), d.itemAttributes().fields());
    assertEquals("Toy Story", d.itemAttributes().get(d.items().index("100"), "title"));
    assertNull(d.itemAttributes().get(d.items().index("101"), "title"));
    assertEquals("1", d.meta().get("item.attributes.unmatched"));
    assertTrue(d.train().hasRatings() && d.train().hasTimestamps());
  }

  @Test
  void recbolePresplitSequentialWithIndexFiles() throws IOException {
    String h = "user_id:token\titem_id_list:token_seq\titem_id:token\n";
    // user 0 sequence: 2 0 1 3 4 (indices) ; user 1: 1 2 0 ; train rows are prefix augmented
    write("S/S.train.inter", h + "0\t2 0\t1\n0\t2\t0\n1\t1\t2\n");
    write("S/S.valid.inter", h + "0\t2 0 1\t3\n1\t1 2\t0\n");
    write("S/S.test.inter", h + "0\t2 0 1 3\t4\n");
    write("S/S.item2index", "A\t0\nB\t1\nC\t2\nD\t3\nE\t4\n");
    write("S/S.user2index", "x\t0\ny\t1\n");
    write("S/S.text", "item_id:token\ttext:token_seq\nC\tthird item\n");
    Dataset d = DatasetFormats.read(dir.resolve("S"), null, Config.empty());
    assertEquals(Protocol.LEAVE_ONE_OUT, d.protocol());
    assertEquals(List.of("A", "B", "C", "D", "E"), d.items().ids());
    assertEquals(List.of("x", "y"), d.users().ids());
    assertArrayEquals(new int[] {0, 2, 0, 0, 0, 1, 1, 1, 1, 2}, pairs(d.train()));
    assertArrayEquals(new int[] {0, 3, 1, 0}, pairs(d.valid()));
    assertArrayEquals(new int[] {0, 4}, pairs(d.test()));
    assertEquals(3, d.valid().timestamp(0));
    assertEquals(4, d.test().timestamp(0));
    assertEquals("third item", d.itemAttributes().get(2, "text"));
  }

  @Test
  void csvAutoDelimiterAndNamedColumns() throws IOException {
    Path f = write("t.csv", "customer;article;when;part\nc1;\"a;1\";2020-01-02;train\nc2;a2;2020-01-03;test\n");
    Config o = Config.of(Map.of("user.col", "customer", "item.col", "article", "time.col", "when",
        "split.col", "part"));
    Dataset d = DatasetFormats.read(f, "csv", o);
    assertEquals(List.of("c1", "c2"), d.users().ids());
    assertEquals(List.of("a;1", "a2"), d.items().ids());
    assertEquals(1, d.train().size());
    assertEquals(1, d.test().size());
    assertEquals(java.time.LocalDate.of(2020, 1, 2).toEpochDay() * 86400, d.train().timestamp(0));
  }

  @Test
  void csvDefaultsAndDetection() throws IOException {
    Path f = write("plain.tsv", "user_id\titem_id\trating\nu1\ti1\t4.5\nu1\ti2\t3\nu2\ti1\t1\n");
    assertEquals(List.of("csv"), DatasetFormats.detect(f));
    Dataset d = DatasetFormats.read(f, null, Config.of(Map.of("split", "loo")));
    assertEquals(Protocol.LEAVE_ONE_OUT, d.protocol());
    assertEquals(1, d.test().size()); // u1: i2 test (2 rows keep one train row); u2: train only
    assertEquals(4.5f, d.train().rating(0));
  }

  @Test
  void protocolOverrideAndExplicitSplitOnPresplitData() throws IOException {
    Path f = write("p.inter", "userID\titemID\ttimestamp\tx_label\n0\t0\t5\t0\n0\t1\t9\t0\n0\t2\t7\t0\n");
    Dataset d = DatasetFormats.read(f, null, Config.of(Map.of("split", "loo", "protocol", "ctr")));
    assertEquals(Protocol.CTR, d.protocol());
    assertArrayEquals(new int[] {0, 1}, pairs(d.test())); // latest timestamp 9
    assertArrayEquals(new int[] {0, 2}, pairs(d.valid()));
    assertThrows(IllegalArgumentException.class,
        () -> DatasetFormats.read(f, null, Config.of(Map.of("protocol", "pointwise"))));
  }

  @Test
  void recboleIndexFileErrorsNameTheLine() throws IOException {
    write("I/I.inter", "user_id:token\titem_id:token\nu\t0\n");
    write("I/I.item2index", "A\t0\n\nB\t0\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(dir.resolve("I"), "recbole", Config.empty()));
    assertEquals(3, e.line(), e.getMessage());
    assertEquals("index", e.field());
  }

  @Test
  void detectionFailureListsFormats() throws IOException {
    Path f = write("x.bin", "hello\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(f, null, Config.empty()));
    for (String n : DatasetFormats.names()) {
      assertTrue(e.getMessage().contains(n), e.getMessage());
    }
  }

  @Test
  void givenSplitOnUnsplitDataFails() throws IOException {
    Path f = write("plain.csv", "user,item\na,b\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetFormats.read(f, null, Config.of(Map.of("split", "given"))));
    assertTrue(e.getMessage().contains("no split"), e.getMessage());
  }
}
