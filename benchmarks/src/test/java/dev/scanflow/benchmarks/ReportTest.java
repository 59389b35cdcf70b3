package dev.scanflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ReportTest {
  static String result(String method, String params, double median) {
    return "{\"benchmark\":\"dev.scanflow.benchmarks."
        + method
        + "\",\"mode\":\"avgt\",\"params\":{"
        + params
        + "},\"primaryMetric\":{\"score\":"
        + (median + 1)
        + ",\"scoreUnit\":\"us/op\",\"scorePercentiles\":{\"50.0\":"
        + median
        + "}}}";
  }

  @Test
  void rendersMediansRatiosAndPerStepTimes() throws IOException {
    String p = "\"t\":\"27\",\"batch\":\"1\",\"hidden\":\"256\"";
    String json =
        "["
            + String.join(
                ",",
                result("SeedTrainingStepBenchmark.scanflow", p, 100),
                result("SeedTrainingStepBenchmark.dl4j", p, 2500),
                result("SeedTrainingStepBenchmark.nd4jLoop", p, 400),
                result("ScanLengthBenchmark.forwardBackward", "\"t\":\"100\"", 500),
                result("SessionOverheadBenchmark.run", "", 7))
            + "]";
    String md =
        Report.render(
            json,
            "{\"steps\":45000,\"seconds\":90.0,\"steps_per_second\":500.0,\"backend\":\"cpu\"}");
    assertTrue(
        md.contains(
            "| batch=1, hidden=256, t=27 | 100.0 us/op | 2500.0 us/op | 400.0 us/op | 25.0x | 4.0x |"),
        md);
    assertTrue(
        md.contains("| ScanLengthBenchmark.forwardBackward | t=100 | 500.0 us/op | 5.00 us/op |"),
        md);
    assertTrue(md.contains("SessionOverheadBenchmark.run"), md);
    assertTrue(md.contains("45000 steps in 90.0 s, 500 steps/s"), md);
  }
}
