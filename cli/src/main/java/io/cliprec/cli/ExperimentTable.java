package io.cliprec.cli;

import io.cliprec.core.eval.CtrMetrics;
import io.cliprec.core.run.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Aggregates experiment runs: per (model, feature set) the grid point with the best mean VALID selection
 * metric, then that point's TEST metrics as mean &plusmn; sample std over seeds, and the relative gain over
 * the same model's ID-only ({@code none}) row. Gains are improvements: for a lower-is-better metric
 * ({@link CtrMetrics#lowerIsBetter}, LogLoss) a decrease is a positive gain, and a lower-is-better selection
 * metric picks the smallest mean.
 */
final class ExperimentTable {
  private final List<String> metrics;
  private final List<Map<String, Object>> rows;

  private ExperimentTable(List<String> metrics, List<Map<String, Object>> rows) {
    this.metrics = metrics;
    this.rows = rows;
  }

  /** @param selectFor the validation metric that chooses a model's grid point (CTR models: AUC) */
  static ExperimentTable of(Map<ExperimentCommand.Cell, RunRecord> runs, List<String> metrics,
      java.util.function.Function<String, String> selectFor) {
    // group: model -> features -> point -> runs
    Map<String, Map<String, Map<String, List<RunRecord>>>> g = new LinkedHashMap<>();
    for (Map.Entry<ExperimentCommand.Cell, RunRecord> e : runs.entrySet()) {
      ExperimentCommand.Cell c = e.getKey();
      g.computeIfAbsent(c.model(), k -> new LinkedHashMap<>())
          .computeIfAbsent(c.features(), k -> new LinkedHashMap<>())
          .computeIfAbsent(c.point(), k -> new ArrayList<>()).add(e.getValue());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var m : g.entrySet()) {
      String select = selectFor.apply(m.getKey());
      Map<String, Double> baseline = null;
      for (var f : m.getValue().entrySet()) {
        String bestPoint = null;
        double bestValid = Double.NaN;
        boolean lower = CtrMetrics.lowerIsBetter(select);
        for (var p : f.getValue().entrySet()) {
          double v = mean(p.getValue(), "valid", select)[0];
          if (bestPoint == null || (lower ? v < bestValid : v > bestValid)) {
            bestValid = v;
            bestPoint = p.getKey();
          }
        }
        List<RunRecord> chosen = f.getValue().get(bestPoint);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", m.getKey());
        row.put("features", f.getKey());
        row.put("point", bestPoint);
        row.put("seeds", chosen.size());
        row.put("select", select);
        row.put("valid_" + select, bestValid);
        Map<String, Double> means = new LinkedHashMap<>();
        for (String metric : metrics) {
          double[] ms = mean(chosen, "test", metric);
          row.put(metric, ms[0]);
          row.put(metric + "_std", ms[1]);
          means.put(metric, ms[0]);
        }
        double[] spe = timing(chosen, "train_seconds_per_epoch");
        row.put("train_seconds_per_epoch", spe[0]);
        row.put("epochs", timing(chosen, "epochs")[0]);
        if (ExperimentCommand.NONE.equals(f.getKey())) {
          baseline = means;
        }
        for (String metric : metrics) {
          Double b = baseline == null ? null : baseline.get(metric);
          row.put(metric + "_gain", b == null || b == 0 || ExperimentCommand.NONE.equals(f.getKey())
              ? null : (CtrMetrics.lowerIsBetter(metric) ? b - means.get(metric) : means.get(metric) - b) / b);
        }
        rows.add(row);
      }
    }
    return new ExperimentTable(metrics, rows);
  }

  private static double[] mean(List<RunRecord> rs, String split, String metric) {
    double[] xs = new double[rs.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rs.get(i).metric(split, metric);
    }
    return meanStd(xs);
  }

  private static double[] timing(List<RunRecord> rs, String key) {
    double[] xs = new double[rs.size()];
    for (int i = 0; i < xs.length; i++) {
      Object o = rs.get(i).section("timing").get(key);
      xs[i] = o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }
    return meanStd(xs);
  }

  /** Mean and sample standard deviation (0 for one value). */
  static double[] meanStd(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    double mean = s / xs.length;
    double ss = 0;
    for (double x : xs) {
      ss += (x - mean) * (x - mean);
    }
    return new double[] {mean, xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0};
  }

  List<Map<String, Object>> rows() {
    return rows;
  }

  private List<List<String>> cells() {
    List<List<String>> out = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("model", "features", "selected", "seeds"));
    for (String m : metrics) {
      head.add(m);
      head.add("gain");
    }
    head.add("s/epoch");
    out.add(head);
    for (Map<String, Object> r : rows) {
      List<String> row = new ArrayList<>();
      row.add(String.valueOf(r.get("model")));
      row.add(String.valueOf(r.get("features")));
      row.add(String.valueOf(r.get("point")));
      row.add(String.valueOf(r.get("seeds")));
      for (String m : metrics) {
        row.add(String.format(Locale.ROOT, "%.4f ± %.4f", (Double) r.get(m), (Double) r.get(m + "_std")));
        Object gain = r.get(m + "_gain");
        row.add(gain == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * (Double) gain));
      }
      row.add(Console.secs((Double) r.get("train_seconds_per_epoch")));
      out.add(row);
    }
    return out;
  }

  String text() {
    return Console.table(cells());
  }

  String markdown() {
    return Console.markdown(cells());
  }

  String csv() {
    StringBuilder sb = new StringBuilder("model,features,selected,seeds");
    for (String m : metrics) {
      sb.append(',').append(m).append(',').append(m).append("_std,").append(m).append("_gain");
    }
    sb.append(",train_seconds_per_epoch\n");
    for (Map<String, Object> r : rows) {
      sb.append(r.get("model")).append(',').append(r.get("features")).append(",\"")
          .append(r.get("point")).append("\",").append(r.get("seeds"));
      for (String m : metrics) {
        Object gain = r.get(m + "_gain");
        sb.append(',').append(r.get(m)).append(',').append(r.get(m + "_std")).append(',')
            .append(gain == null ? "" : gain);
      }
      sb.append(',').append(r.get("train_seconds_per_epoch")).append('\n');
    }
    return sb.toString();
  }
}
