package dev.scanflow.examples;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Figures as PNG and SVG (XChart drawn onto a bitmap and onto VectorGraphics2D). */
final class Figures {
  static final int WIDTH = 800;
  static final int PANEL = 220;

  private Figures() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The seed's qualitative figure: inputs on top; targets (line) and predictions (dots) below. */
  static void prediction(
      Path base, String title, float[] inputs, float[] targets, float[] predictions)
      throws IOException {
    XYChart top = chart(title, "value");
    line(top, "inputs", inputs);
    XYChart bottom = chart(null, "cumulative sum");
    line(bottom, "targets", targets);
    XYSeries p = bottom.addSeries("predictions", steps(predictions.length), toDouble(predictions));
    p.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    p.setMarker(SeriesMarkers.CIRCLE);
    save(base, List.of(top, bottom));
  }

  /** One panel with several named lines over x. */
  static void lines(
      Path base,
      String title,
      String xTitle,
      String yTitle,
      double[] x,
      List<String> names,
      List<double[]> ys,
      boolean logX)
      throws IOException {
    XYChart c = chart(title, yTitle);
    c.setXAxisTitle(xTitle);
    c.getStyler().setXAxisLogarithmic(logX);
    for (int i = 0; i < names.size(); i++) {
      c.addSeries(names.get(i), x, ys.get(i));
    }
    save(base, List.of(c));
  }

  static XYChart chart(String title, String yTitle) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(PANEL)
            .title(title == null ? "" : title)
            .yAxisTitle(yTitle)
            .build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setMarkerSize(5);
    return c;
  }

  static void line(XYChart c, String name, float[] y) {
    XYSeries s = c.addSeries(name, steps(y.length), toDouble(y));
    s.setMarker(SeriesMarkers.NONE);
  }

  /** Saves stacked panels as {@code base.png} and {@code base.svg}. */
  static void save(Path base, List<XYChart> panels) throws IOException {
    int height = PANEL * panels.size();
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    paint(g, panels);
    g.dispose();
    ImageIO.write(img, "png", base.resolveSibling(base.getFileName() + ".png").toFile());
    VectorGraphics2D vg = new VectorGraphics2D();
    paint(vg, panels);
    try (OutputStream out =
        Files.newOutputStream(base.resolveSibling(base.getFileName() + ".svg"))) {
      new SVGProcessor()
          .getDocument(vg.getCommands(), new PageSize(0, 0, WIDTH, height))
          .writeTo(out);
    }
  }

  private static void paint(Graphics2D g, List<XYChart> panels) {
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D sub = (Graphics2D) g.create(0, i * PANEL, WIDTH, PANEL);
      panels.get(i).paint(sub, WIDTH, PANEL);
      sub.dispose();
    }
  }

  static double[] steps(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
