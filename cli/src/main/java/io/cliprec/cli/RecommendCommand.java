package io.cliprec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.TopK;
import io.cliprec.core.run.RunRecord;
import io.cliprec.models.Models;
import io.cliprec.models.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec recommend}: top-K items for users of a trained run, with external ids. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Prints the top-K items for one user or for every user listed in a file "
        + "(external ids in and out; items the user already interacted with are excluded by default).")
final class RecommendCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory from 'train'.")
  Path run;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  static final class Who {
    @Option(names = "--user", paramLabel = "ID", description = "One external user id.")
    String user;

    @Option(names = "--users", paramLabel = "FILE", description = "File with one external user id per line.")
    Path users;
  }

  @Option(names = "--k", defaultValue = "10", description = "Number of items (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--output", defaultValue = "tsv", paramLabel = "FMT",
      description = "tsv (user, rank, item, score) or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--include-seen", description = "Do not exclude items the user interacted with.")
  boolean includeSeen;

  @Override
  public Integer call() throws Exception {
    if (k <= 0) {
      throw new IllegalArgumentException("--k must be positive, got " + k);
    }
    RunRecord rec = RunRecord.read(run);
    Dataset ds = loadRunData(rec, null, null);
    TrainedModel model = Models.load(run.resolve(Runs.MODEL_DIR));
    List<String> ids = new ArrayList<>();
    if (who.user != null) {
      ids.add(who.user);
    } else {
      for (String line : Files.readAllLines(who.users)) {
        if (!line.isBlank()) {
          ids.add(line.trim());
        }
      }
    }
    int[] rows = new int[ids.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = ds.users().index(ids.get(i));
      if (rows[i] < 0) {
        throw new IllegalArgumentException("unknown user id '" + ids.get(i) + "'"
            + (who.users != null ? " (" + who.users + " line " + (i + 1) + ")" : ""));
      }
    }
    // recommendations look at everything known: train + valid + test interactions are "seen"
    CsrMatrix seen = includeSeen ? null : seenMatrix(ds);
    int kk = Math.min(k, ds.numItems());
    int[][] top = TopK.topK(model.userFactors(Split.TEST), rows, model.itemFactors(), seen, kk);
    float[] buf = new float[ds.numItems()];
    Map<String, Object> json = new LinkedHashMap<>();
    StringBuilder tsv = new StringBuilder("user\trank\titem\tscore\n");
    for (int b = 0; b < rows.length; b++) {
      model.score(new int[] {rows[b]}, Split.TEST, buf);
      List<Map<String, Object>> list = new ArrayList<>();
      for (int r = 0; r < top[b].length; r++) {
        int item = top[b][r];
        String iid = ds.items().id(item);
        tsv.append(ids.get(b)).append('\t').append(r + 1).append('\t').append(iid).append('\t')
            .append(String.format(java.util.Locale.ROOT, "%.6f", buf[item])).append('\n');
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("item", iid);
        e.put("score", buf[item]);
        list.add(e);
      }
      json.put(ids.get(b), list);
    }
    if ("json".equals(output)) {
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } else if ("tsv".equals(output)) {
      System.out.print(tsv);
    } else {
      throw new IllegalArgumentException("--output must be tsv or json, got '" + output + "'");
    }
    return 0;
  }

  static CsrMatrix seenMatrix(Dataset ds) {
    var all = io.cliprec.core.data.Interactions.concat(
        io.cliprec.core.data.Interactions.concat(ds.train(), ds.valid()), ds.test());
    return all.toUserItemMatrix(ds.numUsers(), ds.numItems());
  }

  /** Loads the dataset a run was trained on (or {@code override}) exactly as it was split. */
  @SuppressWarnings("unchecked")
  static Dataset loadRunData(RunRecord rec, Path override, String format) throws IOException {
    Map<String, Object> d = rec.section("dataset");
    if (override != null) {
      return DataOptions.load(override, format, null, null, List.of());
    }
    Object path = d.get("path");
    if (path == null) {
      throw new IllegalArgumentException("run.json names no dataset path; pass --data");
    }
    if ("synthetic".equals(d.get("format"))) {
      return QuickstartCommand.shopFromRun(rec);
    }
    Object opts = d.get("options");
    Dataset ds = DataOptions.load(Path.of(path.toString()), (String) d.get("format"),
        (String) d.get("split_requested"), null, opts == null ? List.of() : (List<String>) opts);
    Object proto = d.get("protocol");
    if (proto != null && ds.protocol() != Protocol.valueOf(proto.toString())) {
      ds = ds.withProtocol(Protocol.valueOf(proto.toString()));
    }
    String want = String.valueOf(d.get("hash"));
    if (!want.equals(ds.contentHash())) {
      throw new IllegalArgumentException("the data at " + path + " changed since the run (hash "
          + ds.contentHash() + ", run.json has " + want + ")");
    }
    return ds;
  }
}
