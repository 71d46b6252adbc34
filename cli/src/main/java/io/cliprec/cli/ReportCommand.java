package io.cliprec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cliprec report}: one table over many run directories. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Collects run.json files (searched recursively under each PATH) into one table; "
        + "optionally writes it as JSON and Markdown.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Run directories or parents of them.")
  List<Path> paths;

  @Option(names = "--metrics", split = ",", defaultValue = "Recall@20,NDCG@20",
      description = "Test metrics to show (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the rows as JSON.")
  Path json;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Write the table as Markdown.")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    List<Path> runs = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("no such path: " + p);
      }
      try (Stream<Path> s = Files.walk(p)) {
        s.filter(f -> f.getFileName().toString().equals(RunRecord.FILE)).sorted().forEach(runs::add);
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no run.json under " + paths);
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("run", "model", "dataset", "seed"));
    head.addAll(metrics);
    head.addAll(List.of("epochs", "s/epoch", "eval s", "peak MiB"));
    rows.add(head);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : runs) {
      RunRecord r = RunRecord.read(f);
      Map<String, Object> t = r.section("timing");
      List<String> row = new ArrayList<>();
      row.add(f.getParent().toString());
      row.add(String.valueOf(r.get("model")));
      row.add(String.valueOf(r.section("dataset").get("name")));
      row.add(String.valueOf(r.get("seed")));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("run", f.getParent().toString());
      o.put("model", r.get("model"));
      o.put("dataset", r.section("dataset").get("name"));
      o.put("dataset_hash", r.section("dataset").get("hash"));
      o.put("seed", r.get("seed"));
      for (String m : metrics) {
        double v = r.metric("test", m);
        row.add(Console.f4(v));
        o.put(m, v);
      }
      row.add(String.valueOf(t.get("epochs")));
      row.add(num(t.get("train_seconds_per_epoch")));
      row.add(num(t.get("eval_seconds")));
      row.add(num(t.get("peak_rss_mib")));
      o.put("timing", t);
      o.put("versions", r.section("versions"));
      rows.add(row);
      out.add(o);
    }
    System.out.print(Console.table(rows));
    if (json != null) {
      write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
    if (markdown != null) {
      write(markdown, Console.markdown(rows));
    }
    return 0;
  }

  private static String num(Object o) {
    return o instanceof Number ? Console.secs(((Number) o).doubleValue()) : "-";
  }

  static void write(Path file, String text) throws java.io.IOException {
    io.cliprec.core.io.AtomicFiles.writeString(file, text);
  }
}
