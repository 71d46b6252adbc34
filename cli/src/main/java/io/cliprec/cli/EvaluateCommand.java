package io.cliprec.cli;

import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.Protocol;
import io.cliprec.core.data.Split;
import io.cliprec.core.eval.EvalOptions;
import io.cliprec.core.eval.EvalResult;
import io.cliprec.core.eval.Evaluator;
import io.cliprec.core.run.RunRecord;
import io.cliprec.models.Models;
import io.cliprec.models.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cliprec evaluate}: re-evaluates a saved run, optionally on other data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluates the model of a run directory (full ranking) and prints a metrics table.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory from 'train'.")
  Path run;

  @Option(names = "--data", paramLabel = "PATH",
      description = "Dataset to evaluate on (default: the run's own, from run.json).")
  Path data;

  @Option(names = "--format", paramLabel = "F", description = "Format of --data (detected when omitted).")
  String format;

  @Option(names = "--split", defaultValue = "test", paramLabel = "S",
      description = "Which split to evaluate: valid or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--ks", split = ",", paramLabel = "K",
      description = "Cut-offs (default 5,10,20,50).")
  int[] ks;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    RunRecord rec = RunRecord.read(run);
    Dataset ds = RecommendCommand.loadRunData(rec, data, format);
    TrainedModel model = Models.load(run.resolve(Runs.MODEL_DIR));
    if (model.numItems() != ds.numItems() || model.numUsers() != ds.numUsers()) {
      throw new IllegalArgumentException("model has " + model.numUsers() + " users x " + model.numItems()
          + " items but the dataset has " + ds.numUsers() + " x " + ds.numItems());
    }
    Split s = Split.valueOf(split.toUpperCase(java.util.Locale.ROOT));
    EvalOptions eo = Runs.evalOptions(ds.protocol());
    if (ks != null) {
      eo = eo.withKs(ks);
    }
    EvalResult r = Evaluator.evaluate(ds, s, model, eo);
    if (json) {
      System.out.println(new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(r.metrics()));
    } else {
      System.out.println("model " + rec.get("model") + " on " + ds + ", split " + s + ", "
          + r.users() + " users, " + Console.secs(r.seconds()) + "s");
      System.out.println(table(r.metrics()));
    }
    return 0;
  }

  /** Metric table: rows = metric names, columns = K. */
  static String table(Map<String, Double> metrics) {
    TreeSet<Integer> kset = new TreeSet<>();
    List<String> names = new ArrayList<>();
    List<String> plain = new ArrayList<>(); // metrics without a cut-off (CTR: AUC, LogLoss)
    for (String key : metrics.keySet()) {
      int at = key.indexOf('@');
      if (key.indexOf('/') >= 0) { // "cold@5/HR@10": the cold-start breakdown, its own table
        continue;
      }
      if (at < 0) {
        plain.add(key);
        continue;
      }
      kset.add(Integer.parseInt(key.substring(at + 1)));
      String n = key.substring(0, at);
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>();
    head.add("metric");
    for (int k : kset) {
      head.add("@" + k);
    }
    if (kset.isEmpty()) {
      head.add("value");
    }
    rows.add(head);
    for (String n : plain) {
      List<String> row = new ArrayList<>();
      row.add(n);
      row.add(Console.f4(metrics.get(n)));
      while (row.size() < head.size()) {
        row.add("-");
      }
      rows.add(row);
    }
    for (String n : names) {
      List<String> row = new ArrayList<>();
      row.add(n);
      for (int k : kset) {
        Double v = metrics.get(n + "@" + k);
        row.add(v == null ? "-" : Console.f4(v));
      }
      rows.add(row);
    }
    return Console.table(rows);
  }

  /** The test-metrics table of a run.json map. */
  @SuppressWarnings("unchecked")
  static String metricsTable(Map<String, Object> run) {
    Map<String, Double> m = (Map<String, Double>) ((Map<String, Object>) run.get("metrics")).get("test");
    StringBuilder out = new StringBuilder("test metrics (" + run.get("model") + "):\n" + table(m));
    Map<String, Map<String, Double>> cold = new java.util.TreeMap<>();
    for (Map.Entry<String, Double> e : m.entrySet()) {
      int slash = e.getKey().indexOf('/');
      if (slash > 0) {
        cold.computeIfAbsent(e.getKey().substring(0, slash), k -> new java.util.LinkedHashMap<>())
            .put(e.getKey().substring(slash + 1), e.getValue());
      }
    }
    for (Map.Entry<String, Map<String, Double>> c : cold.entrySet()) {
      Double users = c.getValue().get("users");
      out.append("\n").append(c.getKey()).append(" (test cases whose item has <= ")
          .append(c.getKey().substring(c.getKey().indexOf('@') + 1)).append(" training interactions: ")
          .append(users == null ? "?" : Long.toString(Math.round(users))).append("):\n")
          .append(table(c.getValue()));
    }
    return out.toString();
  }

  static Protocol protocolOf(RunRecord rec) {
    Object p = rec.section("dataset").get("protocol");
    return p == null ? null : Protocol.valueOf(p.toString());
  }
}
