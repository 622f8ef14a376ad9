package dev.wgdiag.report;

import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.Rectangle;

/**
 * A chart as an inline SVG element that scales to its container (viewBox, no fixed size): no file,
 * no network. Each chart on a page needs its own {@code id} (clip-path definitions are named after it).
 */
final class ChartSvg {
    private ChartSvg() {
    }

    /**
     * Two renderings of one chart: a narrow one with large type for phones and a wide one, shown by
     * CSS media query ({@code .narrow} / {@code .wide}), so text stays readable at both widths.
     */
    static String responsive(java.util.function.Supplier<JFreeChart> chart, String id, int wideHeight, int narrowHeight) {
        JFreeChart wide = chart.get();
        fonts(wide, 12);
        JFreeChart narrow = chart.get();
        fonts(narrow, 15);
        return "<div class=\"wide\">" + svg(wide, id + "w", 900, wideHeight) + "</div><div class=\"narrow\">"
                + svg(narrow, id + "n", 440, narrowHeight) + "</div>";
    }

    /** The house style every chart ends with: white background, light grid, a legend. */
    static JFreeChart styled(org.jfree.chart.plot.XYPlot plot) {
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setDomainGridlinePaint(new java.awt.Color(0xdddddd));
        plot.setRangeGridlinePaint(new java.awt.Color(0xdddddd));
        JFreeChart chart = new JFreeChart(null, new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 12), plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        return chart;
    }

    /** Axis, tick and legend type of an XY chart, in points (SVG user units). */
    static void fonts(JFreeChart chart, int base) {
        java.awt.Font label = new java.awt.Font("SansSerif", java.awt.Font.PLAIN, base);
        java.awt.Font tick = new java.awt.Font("SansSerif", java.awt.Font.PLAIN, base - 1);
        if (chart.getPlot() instanceof org.jfree.chart.plot.XYPlot p) {
            for (org.jfree.chart.axis.ValueAxis a : new org.jfree.chart.axis.ValueAxis[]{p.getDomainAxis(), p.getRangeAxis()}) {
                a.setLabelFont(label);
                a.setTickLabelFont(tick);
            }
        }
        if (chart.getLegend() != null) chart.getLegend().setItemFont(tick);
    }

    /**
     * Tick labels in the root locale: JFreeChart's default tick units format with the machine's
     * locale (a decimal comma under de_DE), and every output must be the same everywhere.
     */
    static void rootLocaleTicks(org.jfree.chart.axis.NumberAxis axis, boolean integers) {
        axis.setStandardTickUnits(new org.jfree.chart.axis.NumberTickUnitSource(integers,
                new java.text.DecimalFormat("#,##0.###", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT))));
    }

    static String svg(JFreeChart chart, String id, int width, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix(id + "_");
        // Generic families only: the page loads no font.
        g2.setFontFunction(family -> "sans-serif");
        chart.draw(g2, new Rectangle(0, 0, width, height));
        String svg = g2.getSVGElement(id, false, new ViewBox(0, 0, width, height), null, null);
        return svg.replaceFirst("<svg ", "<svg role=\"img\" class=\"chart\" preserveAspectRatio=\"xMidYMid meet\" ");
    }
}
