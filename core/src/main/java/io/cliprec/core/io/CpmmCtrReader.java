package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.ItemAttributes;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPMM's click-through-rate split: {@code train_set_<Name>_CTR.csv} and {@code test_set_<Name>_CTR.csv},
 * header {@code user_id,item_id,class,reviewTime,overall}: {@code overall} is the 0/1 click label
 * (&rarr; {@link io.cliprec.core.data.Interactions#label}), {@code reviewTime} an ISO date (&rarr;
 * timestamp, seconds at 00:00 UTC), {@code class} an item category kept as item attribute
 * {@code class} (the last value seen wins). Path: the directory or either file; both files are
 * required. Users and items are indexed by ascending numeric id over both files. Valid is empty.
 * Protocol {@link Protocol#CTR}; meta {@code split=given}.
 */
public final class CpmmCtrReader implements DatasetReader {
  public static final String NAME = "cpmm-ctr";
  private static final Pattern FILE = Pattern.compile("(train|test)_set_(.+)_CTR\\.csv");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "CPMM CTR split {train,test}_set_<Name>_CTR.csv (user_id,item_id,class,reviewTime,overall)";
  }

  private static boolean isPart(Path f) {
    if (!Files.isRegularFile(f) || !FILE.matcher(ReaderSupport.fileName(f)).matches()) {
      return false;
    }
    String first = TextLines.firstLine(f);
    return first != null && first.trim().startsWith("user_id,item_id");
  }

  private static List<String> names(Path dir) {
    List<String> out = new ArrayList<>();
    for (Path f : ReaderSupport.files(dir)) {
      Matcher m = FILE.matcher(ReaderSupport.fileName(f));
      if (m.matches() && isPart(f) && !out.contains(m.group(2))) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  @Override
  public boolean detect(Path path) {
    return Files.isDirectory(path) ? !names(path).isEmpty() : isPart(path);
  }

  @Override
  public Dataset read(Path path, Config options) {
    Path dir;
    String name;
    if (Files.isDirectory(path)) {
      List<String> s = names(path);
      if (s.isEmpty()) {
        throw new DataFormatException(path, 0, null,
            "no CPMM CTR file ({train,test}_set_<Name>_CTR.csv) in this directory");
      }
      if (s.size() > 1) {
        throw new DataFormatException(path, 0, null,
            "directory holds several CPMM CTR datasets " + s + ": pass one of the files");
      }
      dir = path;
      name = s.get(0);
    } else {
      Matcher m = FILE.matcher(ReaderSupport.fileName(path));
      if (!m.matches()) {
        throw new DataFormatException(path, 0, null,
            "a CPMM CTR file is named train_set_<Name>_CTR.csv or test_set_<Name>_CTR.csv");
      }
      dir = path.toAbsolutePath().getParent();
      name = m.group(2);
    }
    Path train = dir.resolve("train_set_" + name + "_CTR.csv");
    Path test = dir.resolve("test_set_" + name + "_CTR.csv");
    if (!Files.isRegularFile(train)) {
      throw new DataFormatException(train, 0, null, "the CTR train file is missing"
          + (Files.isRegularFile(test) ? " (only " + ReaderSupport.fileName(test) + " exists)" : "")
          + ": the CTR protocol needs both train_set_" + name + "_CTR.csv and test_set_" + name
          + "_CTR.csv");
    }
    if (!Files.isRegularFile(test)) {
      throw new DataFormatException(test, 0, null, "the CTR test file is missing");
    }
    RowBuffer rows = new RowBuffer(false, true, true);
    List<String> classes = new ArrayList<>();
    boolean hasClass = false;
    Path[] files = {train, test};
    byte[] codes = {0, 2};
    for (int f = 0; f < 2; f++) {
      TextLines t = ReaderSupport.openNonEmpty(files[f]);
      Header h = Header.parse(t, ',');
      int cu = h.require("user_id");
      int ci = h.require("item_id");
      int cl = h.require("overall");
      int ct = h.index("reviewTime");
      int cc = h.index("class");
      hasClass |= cc >= 0;
      int ncol = h.size();
      while (t.next()) {
        int n = t.split(',');
        if (n != ncol) {
          throw Header.wrongCount(t, ncol, n, h);
        }
        long lab = t.longField(cl, "overall");
        if (lab != 0 && lab != 1) {
          throw new DataFormatException(files[f], t.lineNumber(), "overall",
              "click label must be 0 or 1, got '" + t.field(cl) + "'");
        }
        long time = ct >= 0 ? t.timeField(ct, "reviewTime") : 0L;
        rows.add(t.idField(cu, "user_id"), t.idField(ci, "item_id"), 0f, time, lab, codes[f]);
        classes.add(cc >= 0 ? t.field(cc) : null);
      }
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
    ItemAttributes.Builder attrs = ItemAttributes.builder(iids.length);
    for (int k = 0; k < n; k++) {
      rows.setUser(k, u[k]);
      rows.setItem(k, i[k]);
      if (hasClass && classes.get(k) != null) {
        attrs.set(i[k], "class", classes.get(k));
      }
    }
    return new Dataset(name, ReaderSupport.numericIndex(uids), ReaderSupport.numericIndex(iids),
        rows.part(Split.TRAIN, false, false), rows.part(Split.VALID, false, false),
        rows.part(Split.TEST, false, false), Protocol.CTR, ReaderSupport.meta(NAME, train, "given"),
        hasClass ? attrs.build() : ItemAttributes.empty());
  }
}
