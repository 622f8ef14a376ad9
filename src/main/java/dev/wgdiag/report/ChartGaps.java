package dev.wgdiag.report;

import dev.wgdiag.timeline.GapOutcome;
import dev.wgdiag.timeline.IdleGap;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Tunnel;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;

/**
 * Idle gap length (seconds of silence of the NAT-side peer) against what happened to its mapping, with
 * the mapping-timeout bracket (lower, upper] shaded: survivals to the left of it, expiries to the right.
 */
final class ChartGaps {
    private ChartGaps() {
    }

    static boolean hasData(Tunnel t) {
        return !t.idleGaps().isEmpty();
    }

    static JFreeChart chart(Tunnel t) {
        XYSeries survived = new XYSeries("survived");
        XYSeries expired = new XYSeries("expired");
        XYSeries other = new XYSeries("roamed / other");
        double max = 1;
        // Only the NAT-side peer's gaps say anything about a mapping (the server's own idle time does not).
        String natPeer = t.natMappingTimeout() == null ? null : t.natMappingTimeout().peer();
        for (IdleGap g : t.idleGaps()) {
            if (natPeer != null && !natPeer.equals(g.peer())) continue;
            double v = g.idleOutboundSeconds();
            max = Math.max(max, v);
            if (g.outcome() == GapOutcome.EXPIRED) expired.add(v, 0);
            else if (g.outcome() == GapOutcome.SURVIVED || g.outcome() == GapOutcome.INBOUND_DELIVERED) survived.add(v, 1);
            else other.add(v, 2);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(survived);
        data.addSeries(expired);
        data.addSeries(other);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, new Color(0x15803d));
        r.setSeriesPaint(1, new Color(0xb91c1c));
        r.setSeriesPaint(2, new Color(0x6b7280));
        r.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
        r.setSeriesShape(1, new Rectangle2D.Double(-5, -5, 10, 10));
        r.setSeriesShape(2, new Ellipse2D.Double(-4, -4, 8, 8));
        NumberAxis x = new NumberAxis("idle seconds (from the peer's last outbound packet)");
        x.setLowerBound(0);
        ChartSvg.rootLocaleTicks(x, false);
        SymbolAxis y = new SymbolAxis("mapping", new String[]{"expired", "survived", "other"});
        y.setRange(-0.6, 2.6);
        XYPlot plot = new XYPlot(data, x, y, r);
        MappingTimeout m = t.natMappingTimeout();
        if (m != null && m.observed() && (m.lowerSeconds() != null || m.upperSeconds() != null)) {
            double lo = m.lowerSeconds() == null ? 0 : m.lowerSeconds();
            double hi = m.upperSeconds() == null ? Math.max(max, lo) * 1.2 : m.upperSeconds();
            max = Math.max(max, hi);
            IntervalMarker band = new IntervalMarker(lo, hi, new Color(0xf5, 0x9e, 0x0b, 50));
            band.setLabel("timeout in (" + Html.num(lo) + ", " + (m.upperSeconds() == null ? "?" : Html.num(hi)) + "] s");
            band.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            band.setLabelAnchor(RectangleAnchor.TOP);
            band.setLabelTextAnchor(TextAnchor.TOP_CENTER);
            plot.addDomainMarker(band, Layer.BACKGROUND);
            plot.addDomainMarker(new ValueMarker(lo, new Color(0xb45309), new BasicStroke(1.2f)), Layer.FOREGROUND);
            if (m.upperSeconds() != null) {
                plot.addDomainMarker(new ValueMarker(hi, new Color(0xb45309), new BasicStroke(1.2f)), Layer.FOREGROUND);
            }
        }
        x.setUpperBound(max * 1.1);
        return ChartSvg.styled(plot);
    }
}
