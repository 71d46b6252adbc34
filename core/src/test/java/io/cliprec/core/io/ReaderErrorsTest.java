package io.cliprec.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cliprec.core.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input names the file, the 1-based line and the field, in the exception and its message. */
class ReaderErrorsTest {
  @TempDir Path dir;

  private DataFormatException fail(String format, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return assertThrows(DataFormatException.class, () -> DatasetFormats.read(p, format, Config.empty()));
  }

  private static void check(DataFormatException e, String file, long line, String field, String text) {
    String m = e.getMessage();
    assertTrue(e.file().toString().endsWith(file), m);
    assertEquals(line, e.line(), m);
    assertEquals(field, e.field(), m);
    assertTrue(m.contains(file), m);
    if (line > 0) {
      assertTrue(m.contains(file + ":" + line + ":"), m);
    }
    if (field != null) {
      assertTrue(m.contains("field '" + field + "'"), m);
    }
    assertTrue(m.contains(text), m);
  }

  @Test
  void wrongColumnCount() throws IOException {
    DataFormatException e = fail("mmrec", "a.inter", "userID\titemID\tx_label\n0\t1\t0\n0\t2\n");
    check(e, "a.inter", 3, "x_label", "expected 3 fields");
  }

  @Test
  void tooManyColumns() throws IOException {
    DataFormatException e = fail("cpmm-cf", "T_train.csv", "user_id,item_id\n1,2,3\n");
    check(e, "T_train.csv", 2, "column 3", "expected 2 fields");
  }

  @Test
  void nonNumericId() throws IOException {
    DataFormatException e = fail("mmrec", "b.inter", "userID\titemID\tx_label\n0\tB00X\t0\n");
    check(e, "b.inter", 2, "itemID", "'B00X'");
  }

  @Test
  void negativeId() throws IOException {
    DataFormatException e = fail("mmrec", "b2.inter", "userID\titemID\tx_label\n-3\t1\t0\n");
    check(e, "b2.inter", 2, "userID", "non-negative");
  }

  @Test
  void unknownXLabel() throws IOException {
    DataFormatException e = fail("mmrec", "c.inter", "userID\titemID\tx_label\n0\t1\t0\n0\t1\t5\n");
    check(e, "c.inter", 3, "x_label", "unknown x_label '5'");
  }

  @Test
  void emptyFile() throws IOException {
    check(fail("mmrec", "d.inter", ""), "d.inter", 0, null, "empty file");
    check(fail("seq", "d.txt", "\n\n"), "d.txt", 0, null, "empty file");
    check(fail("csv", "d.csv", ""), "d.csv", 0, null, "empty file");
  }

  @Test
  void headerOnly() throws IOException {
    check(fail("mmrec", "h.inter", "userID\titemID\tx_label\n"), "h.inter", 1, null, "no interaction rows");
  }

  @Test
  void missingHeaderColumn() throws IOException {
    DataFormatException e = fail("mmrec", "e.inter", "userID\titemID\trating\n0\t1\t1\n");
    check(e, "e.inter", 1, "x_label", "missing header column");
    DataFormatException c = fail("csv", "e.csv", "user_id,thing\nu,t\n");
    check(c, "e.csv", 1, "item.col", "missing header column");
  }

  @Test
  void duplicateHeaderColumn() throws IOException {
    DataFormatException e = fail("csv", "f.csv", "user_id,item_id,user_id\n1,2,3\n");
    check(e, "f.csv", 1, "user_id", "duplicate header column");
  }

  @Test
  void sequenceLineWithoutItems() throws IOException {
    DataFormatException e = fail("seq", "g.txt", "1 10 20\n2\n");
    check(e, "g.txt", 2, "items", "has no items");
  }

  @Test
  void sequenceNonNumericItem() throws IOException {
    DataFormatException e = fail("seq", "g2.txt", "1 10 20\n\n2 30 x7\n");
    check(e, "g2.txt", 3, "item", "'x7'");
  }

  @Test
  void sequenceDuplicateUser() throws IOException {
    DataFormatException e = fail("seq", "g3.txt", "1 10 20\n1 30 40\n");
    check(e, "g3.txt", 2, "user", "already had a line");
  }

  @Test
  void recboleBadHeader() throws IOException {
    DataFormatException e = fail("recbole", "r.inter", "user_id:token\titem_id:int\nu\ti\n");
    check(e, "r.inter", 1, "item_id:int", "unknown RecBole type");
    DataFormatException m = fail("recbole", "r2.inter", "user_id:token\titem\nu\ti\n");
    check(m, "r2.inter", 1, "item", "name:type");
  }

  @Test
  void csvUnknownSplitAndBadNumber() throws IOException {
    check(fail("csv", "s.csv", "user,item,split\na,b,train\na,c,holdout\n"), "s.csv", 3, "split",
        "unknown split 'holdout'");
    check(fail("csv", "n.csv", "user,item,rating\na,b,4\na,c,five\n"), "n.csv", 3, "rating",
        "expected a number");
    check(fail("csv", "t.csv", "user,item,timestamp\na,b,yesterday\n"), "t.csv", 2, "timestamp",
        "expected a timestamp");
  }

  @Test
  void ctrLabelMustBeBinary() throws IOException {
    String h = "user_id,item_id,class,reviewTime,overall\n";
    Files.writeString(dir.resolve("test_set_Q_CTR.csv"), h + "1,2,3,2014-01-01,1\n");
    DataFormatException e = fail("cpmm-ctr", "train_set_Q_CTR.csv", h + "1,2,3,2014-01-01,5\n");
    check(e, "train_set_Q_CTR.csv", 2, "overall", "must be 0 or 1");
  }

  @Test
  void unterminatedQuote() throws IOException {
    check(fail("csv", "q.csv", "user,item\n\"a,b\n"), "q.csv", 2, null, "unterminated");
  }

  @Test
  void missingPath() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DatasetFormats.read(dir.resolve("nope.inter"), null, Config.empty()));
    assertTrue(e.getMessage().contains("nope.inter"), e.getMessage());
  }
}
