package dev.wgdiag.report;

import dev.wgdiag.advice.Traffic;
import dev.wgdiag.timeline.EndpointChange;
import dev.wgdiag.timeline.GapOutcome;
import dev.wgdiag.timeline.Handshake;
import dev.wgdiag.timeline.IdleGap;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.timeline.Tunnel;
import dev.wgdiag.wire.MessageType;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.List;

/**
 * One tunnel over time: messages per type per time bin (steps), handshakes as dots coloured by
 * initiator, endpoint changes as dashed lines, idle gaps shaded green (mapping survived) or red
 * (expired). X axis: seconds since the capture's first message.
 */
final class ChartTimeline {
    static final Color[] TYPE_COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x7f7f7f), new Color(0xff7f0e)};
    static final Color[] PEER_COLORS = {new Color(0x0b5cad), new Color(0xc2410c)};
    static final Color SURVIVED = new Color(0x22, 0xaa, 0x55, 60);
    static final Color EXPIRED = new Color(0xdd, 0x22, 0x22, 70);
    static final Color OTHER_GAP = new Color(0x88, 0x88, 0x88, 40);

    private ChartTimeline() {
    }

    static JFreeChart chart(Tunnel t, List<Traffic.Flow> flows, Traffic traffic, long originNanos) {
        XYSeriesCollection counts = new XYSeriesCollection();
        double bin = traffic.binNanos() / 1e9;
        double offset = (traffic.startNanos() - originNanos) / 1e9;
        double max = 1;
        for (MessageType type : MessageType.values()) {
            XYSeries s = new XYSeries(type.label() + " per " + Html.num(bin) + " s");
            int bins = flows.isEmpty() ? 0 : flows.get(0).counts()[type.ordinal()].length;
            long total = 0;
            for (int i = 0; i < bins; i++) {
                long n = 0;
                for (Traffic.Flow f : flows) n += f.counts()[type.ordinal()][i];
                total += n;
                s.add(offset + i * bin, n);
                max = Math.max(max, n);
            }
            if (bins > 0) s.add(offset + bins * bin, 0);
            if (total > 0) counts.addSeries(s);
        }
        NumberAxis x = new NumberAxis("seconds since the first message");
        NumberAxis y = new NumberAxis("messages");
        ChartSvg.rootLocaleTicks(x, false);
        ChartSvg.rootLocaleTicks(y, true);
        XYStepRenderer steps = new XYStepRenderer();
        for (int i = 0; i < counts.getSeriesCount(); i++) {
            String key = counts.getSeriesKey(i).toString();
            for (MessageType type : MessageType.values()) {
                if (key.startsWith(type.label() + " ")) steps.setSeriesPaint(i, TYPE_COLORS[type.ordinal()]);
            }
            steps.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        XYPlot plot = new XYPlot(counts, x, y, steps);
        // Handshakes: one dot per handshake at the top, coloured by its initiator.
        XYSeriesCollection hs = new XYSeriesCollection();
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        for (int p = 0; p < t.peers().size() && p < 2; p++) {
            Peer peer = t.peers().get(p);
            XYSeries s = new XYSeries("handshake by " + Html.peerLabel(t, peer.id()));
            for (Handshake h : t.handshakes()) {
                if (peer.id().equals(h.initiator())) s.add(sec(h.time(), originNanos), max * 1.1);
            }
            if (s.getItemCount() > 0) {
                dots.setSeriesPaint(hs.getSeriesCount(), PEER_COLORS[p]);
                dots.setSeriesShape(hs.getSeriesCount(), new Ellipse2D.Double(-5, -5, 10, 10));
                hs.addSeries(s);
            }
        }
        plot.setDataset(1, hs);
        plot.setRenderer(1, dots);
        y.setUpperBound(max * 1.25);
        for (IdleGap g : t.idleGaps()) {
            Color c = g.outcome() == GapOutcome.SURVIVED || g.outcome() == GapOutcome.INBOUND_DELIVERED ? SURVIVED
                    : g.outcome() == GapOutcome.EXPIRED ? EXPIRED : OTHER_GAP;
            plot.addDomainMarker(new IntervalMarker(sec(g.start(), originNanos), sec(g.end(), originNanos), c), Layer.BACKGROUND);
        }
        for (EndpointChange c : t.endpointChanges()) {
            ValueMarker m = new ValueMarker(sec(c.time(), originNanos), new Color(0xb91c1c),
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{5f, 4f}, 0f));
            m.setLabel("endpoint change");
            m.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(m, Layer.FOREGROUND);
        }
        return ChartSvg.styled(plot);
    }

    static double sec(Timestamp t, long originNanos) {
        return (t.nanos() - originNanos) / 1e9;
    }
}
