package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPMM's collaborative-filtering split: three CSV files {@code <Name>_train.csv}, {@code <Name>_val.csv},
 * {@code <Name>_test.csv}, each with header {@code user_id,item_id} and numeric ids (as in
 * {@code <Name>.cpmm.txt}). Path: the directory holding the triple or any one of the three files.
 * Users and items are indexed by ascending numeric id over the union of the three files.
 * Protocol {@link Protocol#MMREC}; meta {@code split=given}.
 */
public final class CpmmCfReader implements DatasetReader {
  public static final String NAME = "cpmm-cf";
  private static final Pattern FILE = Pattern.compile("(.+)_(train|val|test)\\.csv");
  private static final String[] PARTS = {"train", "val", "test"};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "CPMM CF split <Name>_{train,val,test}.csv (user_id,item_id; dir or one of the files)";
  }

  private static boolean isPart(Path f) {
    if (!Files.isRegularFile(f) || !FILE.matcher(ReaderSupport.fileName(f)).matches()) {
      return false;
    }
    String first = TextLines.firstLine(f);
    return first != null && first.trim().startsWith("user_id,item_id");
  }

  /** Stems ({@code <Name>}) of complete-or-partial triples in {@code dir}. */
  private static List<String> stems(Path dir) {
    List<String> out = new ArrayList<>();
    for (Path f : ReaderSupport.files(dir)) {
      Matcher m = FILE.matcher(ReaderSupport.fileName(f));
      if (m.matches() && m.group(2).equals("train") && isPart(f)) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Override
  public boolean detect(Path path) {
    return Files.isDirectory(path) ? !stems(path).isEmpty() : isPart(path);
  }

  @Override
  public Dataset read(Path path, Config options) {
    Path dir;
    String stem;
    if (Files.isDirectory(path)) {
      List<String> s = stems(path);
      if (s.isEmpty()) {
        throw new DataFormatException(path, 0, null,
            "no CPMM CF split (<Name>_train.csv with header user_id,item_id) in this directory");
      }
      if (s.size() > 1) {
        throw new DataFormatException(path, 0, null,
            "directory holds several CPMM CF splits " + s + ": pass one of the files");
      }
      dir = path;
      stem = s.get(0);
    } else {
      Matcher m = FILE.matcher(ReaderSupport.fileName(path));
      if (!m.matches()) {
        throw new DataFormatException(path, 0, null,
            "a CPMM CF file is named <Name>_train.csv, <Name>_val.csv or <Name>_test.csv");
      }
      dir = path.toAbsolutePath().getParent();
      stem = m.group(1);
    }
    RowBuffer rows = new RowBuffer(false, false, false);
    for (int part = 0; part < 3; part++) {
      Path f = dir.resolve(stem + "_" + PARTS[part] + ".csv");
      if (!Files.isRegularFile(f)) {
        throw new DataFormatException(f, 0, null,
            "missing " + PARTS[part] + " file of the CPMM CF split '" + stem + "'");
      }
      TextLines t = ReaderSupport.openNonEmpty(f);
      Header h = Header.parse(t, ',');
      int cu = h.require("user_id");
      int ci = h.require("item_id");
      int ncol = h.size();
      while (t.next()) {
        int n = t.split(',');
        if (n != ncol) {
          throw Header.wrongCount(t, ncol, n, h);
        }
        rows.add(t.idField(cu, "user_id"), t.idField(ci, "item_id"), 0f, 0L, 0f, (byte) part);
      }
    }
    if (rows.size() == 0) {
      throw new DataFormatException(dir, 0, null, "the CPMM CF split '" + stem + "' has no rows");
    }
    int n = rows.size();
    int[] u = new int[n];
    int[] i = new int[n];
    for (int k = 0; k < n; k++) {
      u[k] = rows.user(k);
      i[k] = rows.item(k);
    }
    int[] uids = ReaderSupport.rankInPlace(u, n);
    int[] iids = ReaderSupport.rankInPlace(i, n);
    for (int k = 0; k < n; k++) {
      rows.setUser(k, u[k]);
      rows.setItem(k, i[k]);
    }
    return new Dataset(stem, ReaderSupport.numericIndex(uids), ReaderSupport.numericIndex(iids),
        rows.part(Split.TRAIN, false, false), rows.part(Split.VALID, false, false),
        rows.part(Split.TEST, false, false), Protocol.MMREC,
        ReaderSupport.meta(NAME, dir.resolve(stem + "_train.csv"), "given"));
  }
}
