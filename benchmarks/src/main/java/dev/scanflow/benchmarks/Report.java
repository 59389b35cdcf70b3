package dev.scanflow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Renders JMH's JSON results ({@code -rf json}) as markdown: for the seed training step, each
 * system's median and scanflow's speed-up over {@code dl4j} and {@code nd4jLoop} in the same run;
 * for the scan-length benchmark, the time per time step; for the others, the median. An optional
 * second argument, the {@code rnn} example's {@code summary.json}, adds its training throughput.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.scanflow.benchmarks.Report results.json
 * [summary.json]}
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: Report <jmh-results.json> [rnn summary.json]");
      System.exit(2);
    }
    Path results = Path.of(args[0]);
    if (!Files.isReadable(results)) {
      System.err.println("error: cannot read " + results);
      System.exit(2);
    }
    System.out.print(
        render(
            Files.readString(results),
            args.length == 2 ? Files.readString(Path.of(args[1])) : null));
  }

  /** One measured benchmark method with its parameters. */
  record Row(String clazz, String method, Map<String, String> params, double median, String unit) {}

  static List<Row> parse(String json) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(json)) {
      String full = n.path("benchmark").asText();
      int dot = full.lastIndexOf('.');
      String clazz = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
      Map<String, String> params = new TreeMap<>();
      n.path("params")
          .fields()
          .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode metric = n.path("primaryMetric");
      JsonNode p50 = metric.path("scorePercentiles").path("50.0");
      double median = p50.isMissingNode() ? metric.path("score").asDouble() : p50.asDouble();
      rows.add(
          new Row(
              clazz, full.substring(dot + 1), params, median, metric.path("scoreUnit").asText()));
    }
    return rows;
  }

  static String render(String json, String summaryJson) throws IOException {
    List<Row> rows = parse(json);
    StringBuilder md = new StringBuilder();
    Map<Map<String, String>, Map<String, Row>> seed = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.clazz().equals("SeedTrainingStepBenchmark")) {
        seed.computeIfAbsent(r.params(), k -> new LinkedHashMap<>()).put(r.method(), r);
      }
    }
    if (!seed.isEmpty()) {
      md.append(
          "| seed training step | scanflow | dl4j | nd4jLoop | scanflow vs dl4j | scanflow vs nd4jLoop |\n");
      md.append("|---|---:|---:|---:|---:|---:|\n");
      for (Map.Entry<Map<String, String>, Map<String, Row>> e : seed.entrySet()) {
        Map<String, Row> m = e.getValue();
        md.append("| ").append(params(e.getKey())).append(" | ");
        md.append(time(m.get("scanflow")))
            .append(" | ")
            .append(time(m.get("dl4j")))
            .append(" | ")
            .append(time(m.get("nd4jLoop")))
            .append(" | ");
        md.append(ratio(m.get("dl4j"), m.get("scanflow")))
            .append(" | ")
            .append(ratio(m.get("nd4jLoop"), m.get("scanflow")))
            .append(" |\n");
      }
      md.append(
          "\nRatios are how many times faster scanflow is (the other system's median / scanflow's).\n\n");
    }
    List<Row> others =
        rows.stream().filter(r -> !r.clazz().equals("SeedTrainingStepBenchmark")).toList();
    if (!others.isEmpty()) {
      md.append("| benchmark | parameters | median | per time step |\n|---|---|---:|---:|\n");
      for (Row r : others) {
        String perStep = "";
        if (r.clazz().equals("ScanLengthBenchmark") && r.params().containsKey("t")) {
          perStep =
              String.format(
                  Locale.ROOT,
                  "%.2f %s",
                  r.median() / Integer.parseInt(r.params().get("t")),
                  r.unit());
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s.%s | %s | %s | %s |%n",
                r.clazz(),
                r.method(),
                params(r.params()),
                time(r),
                perStep));
      }
      md.append('\n');
    }
    if (summaryJson != null) {
      JsonNode s = new ObjectMapper().readTree(summaryJson);
      md.append(
          String.format(
              Locale.ROOT,
              "Training throughput of the `rnn` example: %d steps in %.1f s, %.0f steps/s (backend %s).%n",
              s.path("steps").asLong(),
              s.path("seconds").asDouble(),
              s.path("steps_per_second").asDouble(),
              s.path("backend").asText()));
    }
    return md.toString();
  }

  private static String params(Map<String, String> p) {
    StringBuilder sb = new StringBuilder();
    p.forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append('=').append(v));
    return sb.toString();
  }

  private static String time(Row r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.1f %s", r.median(), r.unit());
  }

  private static String ratio(Row other, Row scanflow) {
    return other == null || scanflow == null
        ? "-"
        : String.format(Locale.ROOT, "%.1fx", other.median() / scanflow.median());
  }
}
