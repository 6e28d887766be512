package dev.mtasts.cli;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn on the server side: the page needs no script and no library. Every label
 * passes through {@link HtmlReportPage#escape}, since labels come from reports.
 */
final class HtmlCharts {
    static final String OK_COLOUR = "#3a9d5d";
    static final String FAILED_COLOUR = "#d64545";

    private HtmlCharts() {}

    /**
     * One column of a column chart.
     *
     * @param label the x axis label (a day or a month)
     * @param ok the lower, green part
     * @param failed the upper, red part
     */
    record Column(String label, long ok, long failed) {
        long total() {
            long r = ok + failed;
            return r < 0 ? Long.MAX_VALUE : r;
        }
    }

    /**
     * One bar of a bar chart.
     *
     * @param label the row label (from a report: escaped when drawn)
     * @param value the bar length, relative to the longest bar
     * @param valueText what the row says at its end
     * @param tooltip shown on hover
     */
    record Bar(String label, double value, String valueText, String tooltip) {}

    /** Stacked columns (successful below, failed above) with a y axis and every k-th label. */
    static String columns(String id, String ariaLabel, List<Column> columns) {
        int width = 1120;
        int height = 250;
        int left = 64;
        int right = 12;
        int top = 14;
        int bottom = 42;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        long max = 0;
        for (Column c : columns) {
            max = Math.max(max, c.total());
        }
        double step = niceStep(max / 4.0);
        double yMax = max == 0 ? 4 : Math.ceil(max / step) * step;
        StringBuilder svg = new StringBuilder();
        open(svg, id, ariaLabel, width, height);
        for (int i = 0; i * step <= yMax + step / 2; i++) {
            double v = i * step;
            double y = top + plotH - v / yMax * plotH;
            svg.append(fmt(
                    "<line class=\"gridline\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    left, width - right, y, y));
            svg.append(fmt(
                    "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    left - 8, y + 4, compact(v)));
        }
        int n = Math.max(1, columns.size());
        double slot = (double) plotW / n;
        double barW = Math.max(1, Math.min(slot * 0.72, 48));
        int every = (int) Math.ceil(n / 12.0);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            double x = left + i * slot + (slot - barW) / 2;
            double okH = c.ok() / yMax * plotH;
            double failedH = c.failed() / yMax * plotH;
            if (c.failed() > 0 && failedH < 2) {
                failedH = 2; // a failure must stay visible next to millions of successes
            }
            double base = top + plotH;
            svg.append("<g class=\"column\"><title>")
                    .append(HtmlReportPage.escape(c.label()))
                    .append(": ")
                    .append(fmt("%,d sessions, %,d successful, %,d failed", c.total(), c.ok(), c.failed()))
                    .append("</title>");
            svg.append(fmt(
                    "<rect class=\"ok\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                    x, base - okH, barW, okH, OK_COLOUR));
            if (c.failed() > 0) {
                svg.append(fmt(
                        "<rect class=\"failed\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                        x, base - okH - failedH, barW, failedH, FAILED_COLOUR));
            }
            svg.append("</g>");
            if (i % every == 0) {
                svg.append(fmt(
                                "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                                x + barW / 2, height - bottom + 18))
                        .append(HtmlReportPage.escape(c.label()))
                        .append("</text>");
            }
        }
        svg.append(fmt(
                "<line class=\"baseline\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
                left, width - right, top + plotH, top + plotH));
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, longest first as given, at most {@code limit} rows. */
    static String bars(String id, String ariaLabel, List<Bar> bars, String colour, int limit) {
        int width = 540;
        int rowH = 28;
        int labelW = 190;
        int valueW = 112;
        List<Bar> shown = bars.subList(0, Math.min(limit, bars.size()));
        int height = Math.max(1, shown.size()) * rowH + 6;
        double max = 0;
        for (Bar b : shown) {
            max = Math.max(max, b.value());
        }
        int plotW = width - labelW - valueW;
        StringBuilder svg = new StringBuilder();
        open(svg, id, ariaLabel, width, height);
        for (int i = 0; i < shown.size(); i++) {
            Bar b = shown.get(i);
            int y = 3 + i * rowH;
            double w = max == 0 ? 0 : b.value() / max * plotW;
            if (b.value() > 0 && w < 2) {
                w = 2;
            }
            svg.append("<g class=\"bar\"><title>")
                    .append(HtmlReportPage.escape(b.tooltip()))
                    .append("</title>");
            svg.append(fmt("<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", labelW - 10, y + 18))
                    .append(HtmlReportPage.escape(shorten(b.label(), 26)))
                    .append("</text>");
            svg.append(fmt(
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"#eef1f5\"/>",
                    labelW, y + 4, plotW, rowH - 8));
            svg.append(fmt(
                    "<rect class=\"value\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\"/>",
                    labelW, y + 4, w, rowH - 8, colour));
            svg.append(fmt("<text class=\"num\" x=\"%d\" y=\"%d\">", labelW + plotW + 10, y + 18))
                    .append(HtmlReportPage.escape(b.valueText()))
                    .append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    private static void open(StringBuilder svg, String id, String ariaLabel, int width, int height) {
        svg.append(fmt(
                        "<svg class=\"chart\" id=\"%s\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                                + " xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"",
                        id, width, height, width, height))
                .append(HtmlReportPage.escape(ariaLabel))
                .append("\">");
    }

    /** The first {@code max} code points, with an ellipsis when cut. */
    static String shorten(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * magnitude >= raw) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Axis numbers: 950, 1.5k, 2M. */
    static String compact(double v) {
        if (v >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
