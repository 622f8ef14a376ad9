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
