package io.cliprec.core.io;

import io.cliprec.core.config.Config;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MMRec {@code .inter}: tab-separated, header {@code userID itemID [rating] [timestamp] x_label} (any
 * column order, extra columns ignored), {@code x_label} 0/1/2 = train/valid/test. Ids are already dense
 * 0-based indices, so both {@link IdIndex}es are {@link IdIndex#identity identities} over
 * {@code 0..max}: row {@code i} of {@code image_feat.npy} is item {@code i}. A rating or timestamp column
 * that is -1 on every row is dropped (unknown). Protocol {@link Protocol#MMREC}.
 *
 * <p>Path: the {@code .inter} file, or a directory holding exactly one MMRec {@code .inter}.
 * Options: {@code mmrec.num_items} / {@code mmrec.num_users} (at least max id + 1) widen the indices, e.g.
 * to match a feature file that has rows for items without interactions.
 */
public final class MmrecReader implements DatasetReader {
  public static final String NAME = "mmrec";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "MMRec .inter (TSV userID itemID [rating] [timestamp] x_label; dense ids; file or dir)";
  }

  static boolean isMmrecInter(Path f) {
    if (!Files.isRegularFile(f) || !ReaderSupport.fileName(f).endsWith(".inter")) {
      return false;
    }
    String first = TextLines.firstLine(f);
    if (first == null || first.contains(":")) {
      return false;
    }
    List<String> cols = List.of(first.trim().split("\t"));
    return cols.contains("userID") && cols.contains("itemID") && cols.contains("x_label");
  }

  static List<Path> candidates(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path f : ReaderSupport.files(dir)) {
      if (isMmrecInter(f)) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public boolean detect(Path path) {
    return Files.isDirectory(path) ? !candidates(path).isEmpty() : isMmrecInter(path);
  }

  @Override
  public Dataset read(Path path, Config options) {
    Path file = path;
    if (Files.isDirectory(path)) {
      List<Path> c = candidates(path);
      if (c.isEmpty()) {
        throw new DataFormatException(path, 0, null,
            "no MMRec .inter file (tab-separated header with userID, itemID, x_label) in this directory");
      }
      if (c.size() > 1) {
        List<String> names = new ArrayList<>();
        c.forEach(p -> names.add(ReaderSupport.fileName(p)));
        throw new DataFormatException(path, 0, null, "directory holds " + c.size()
            + " MMRec .inter files " + names + ": pass the file path instead of the directory");
      }
      file = c.get(0);
    }
    TextLines t = ReaderSupport.openNonEmpty(file);
    Header h = Header.parse(t, '\t');
    int cu = h.require("userID");
    int ci = h.require("itemID");
    int cx = h.require("x_label");
    int cr = h.index("rating");
    int ct = h.index("timestamp");
    int ncol = h.size();
    RowBuffer rows = new RowBuffer(cr >= 0, ct >= 0, false);
    int maxU = -1;
    int maxI = -1;
    while (t.next()) {
      int n = t.split('\t');
      if (n != ncol) {
        throw Header.wrongCount(t, ncol, n, h);
      }
      int u = t.idField(cu, "userID");
      int i = t.idField(ci, "itemID");
      long x = t.longField(cx, "x_label");
      if (x < 0 || x > 2) {
        throw new DataFormatException(file, t.lineNumber(), "x_label",
            "unknown x_label '" + t.field(cx) + "' (expected 0 = train, 1 = valid, 2 = test)");
      }
      float r = cr >= 0 ? t.floatField(cr, "rating") : 0f;
      long ts = ct >= 0 ? t.timeField(ct, "timestamp") : 0L;
      rows.add(u, i, r, ts, 0f, (byte) x);
      maxU = Math.max(maxU, u);
      maxI = Math.max(maxI, i);
    }
    if (rows.size() == 0) {
      throw new DataFormatException(file, t.lineNumber(), null, "no interaction rows after the header");
    }
    int nu = Math.max(maxU + 1, options.getInt("mmrec.num_users", 0));
    int ni = Math.max(maxI + 1, options.getInt("mmrec.num_items", 0));
    boolean dropR = cr >= 0 && rows.allRatings(-1f);
    boolean dropT = ct >= 0 && rows.allTimes(-1L);
    Map<String, String> meta = ReaderSupport.meta(NAME, file, "given");
    return new Dataset(ReaderSupport.stem(file), IdIndex.identity(nu), IdIndex.identity(ni),
        rows.part(Split.TRAIN, dropR, dropT), rows.part(Split.VALID, dropR, dropT),
        rows.part(Split.TEST, dropR, dropT), Protocol.MMREC, meta);
  }
}
