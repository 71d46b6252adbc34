package io.cliprec.cli;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.io.AtomicFiles;
import io.cliprec.core.io.DataFormatException;
import io.cliprec.encode.reindex.FeatureReindexer;
import io.cliprec.encode.reindex.SequenceAlignment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cliprec reindex}: an encode output's features row-aligned to a dataset whose item ids differ, with
 * text views exported as modalities; one encoding serves several numberings of the same items.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
    description = {
      "Writes an encode output's features (text, image, and optionally each text view as text.<view> and "
          + "averaged view groups as text.<group>) row-aligned to --data's item index.",
      "Ids: the same as --data's (default), a TSV map (--id-map: dataset id<TAB>encoded id), or derived from "
          + "two sequence files holding the same interactions (--align-sequences ENCODED_IDS.txt,"
          + "DATASET_IDS.txt); a pairing that is not one-to-one is an error."
    })
final class ReindexCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();

  @Option(names = "--features", required = true, paramLabel = "DIR",
      description = "A 'cliprec encode' output directory (features.json, item_ids.txt, text_views.npy).")
  Path features;

  @Option(names = "--id-map", paramLabel = "FILE.tsv",
      description = "Dataset item id<TAB>encoded item id per line.")
  Path idMap;

  @Option(names = "--align-sequences", split = ",", paramLabel = "ENCODED.txt,DATASET.txt",
      description = "Two sequence files with the same users and interactions in the same order: the first "
          + "numbered like the encoded ids, the second like --data.")
  List<Path> align = new ArrayList<>();

  @Option(names = "--views", split = ",", paramLabel = "VIEW",
      description = "Text views to export as text.<view> (names from views.txt, or 'all').")
  List<String> views = new ArrayList<>();

  @Option(names = "--view-group", paramLabel = "NAME=a+b",
      description = "Export the mean of views a, b, ... as text.NAME (e.g. meta=brand+categories). Repeatable.")
  List<String> groups = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output features directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (idMap != null && !align.isEmpty()) {
      throw new IllegalArgumentException("--id-map and --align-sequences are alternatives; give one");
    }
    if (!align.isEmpty() && align.size() != 2) {
      throw new IllegalArgumentException("--align-sequences takes two files: ENCODED.txt,DATASET.txt");
    }
    if (Files.exists(out.resolve(ItemFeatures.MANIFEST))) {
      throw new IllegalArgumentException(out + " already holds features; choose another --out");
    }
    Map<String, String> map = null;
    if (idMap != null) {
      map = readMap(idMap);
    } else if (!align.isEmpty()) {
      map = SequenceAlignment.align(align.get(0), align.get(1));
    }
    List<String> vs = views;
    if (vs.size() == 1 && vs.get(0).equals("all")) {
      vs = Files.readAllLines(features.resolve("views.txt"), StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
    Map<String, List<String>> gs = new LinkedHashMap<>();
    for (String g : groups) {
      int eq = g.indexOf('=');
      if (eq <= 0 || eq == g.length() - 1) {
        throw new IllegalArgumentException("--view-group must look like NAME=a+b, got '" + g + "'");
      }
      gs.put(g.substring(0, eq).strip(), Arrays.stream(g.substring(eq + 1).split("\\+"))
          .map(String::strip).toList());
    }
    Dataset ds = data.load();
    ItemFeatures f = FeatureReindexer.reindex(features, ds.items(), map, vs, gs);
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("dataset", ds.name());
    prov.put("data_hash", ds.contentHash());
    f = f.withProvenance(prov);
    f.write(out);
    if (map != null) {
      StringBuilder sb = new StringBuilder();
      for (int r = 0; r < ds.items().size(); r++) {
        String id = ds.items().id(r);
        sb.append(id).append('\t').append(map.get(id)).append('\n');
      }
      AtomicFiles.writeString(out.resolve("id_map.tsv"), sb.toString());
    }
    System.out.printf("wrote %s %s (%d items)%n", out, f.names(), f.numItems());
    return 0;
  }

  /** Two tab-separated columns: dataset id, encoded id; an id listed twice is an error. */
  static Map<String, String> readMap(Path file) throws java.io.IOException {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String s = lines.get(i).strip();
      if (s.isEmpty()) {
        continue;
      }
      String[] t = s.split("\t");
      if (t.length != 2) {
        throw new DataFormatException(file, i + 1, null, "expected dataset id<TAB>encoded id");
      }
      if (m.put(t[0].strip(), t[1].strip()) != null) {
        throw new DataFormatException(file, i + 1, null, "dataset id '" + t[0] + "' listed twice");
      }
    }
    return m;
  }
}
