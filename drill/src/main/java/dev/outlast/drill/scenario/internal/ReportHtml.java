package dev.outlast.drill.scenario.internal;

import dev.outlast.drill.scenario.PathStats;
import dev.outlast.drill.scenario.PhaseResult;
import dev.outlast.drill.scenario.Report;
import dev.outlast.drill.scenario.ScenarioResult;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no external asset) with the
 * verdict, the per-phase table, and two timelines per second of the run: errors and wrong values, and
 * p50 and max latency (on a logarithmic scale), through Outlast and direct, with the phase boundaries
 * marked by the phase's number. Stateless.
 */
public final class ReportHtml {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 220;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int BOTTOM = 26;
    private static final String OUTLAST = "#1f77b4";
    private static final String DIRECT = "#d62728";

    private ReportHtml() {
    }

    public static String render(ScenarioResult result) {
        StringBuilder html = new StringBuilder(16_384);
        String title = "Outlast drill: " + result.scenario().name();
        String direct = result.scenario().providers().getFirst();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc(title)).append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1000px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 8px;text-align:right;")
                .append("border-bottom:1px solid #ddd}td:first-child,th:first-child,td.l,th.l{text-align:left}")
                .append(".pass{color:#1a7f37}.fail{color:#cf222e}.bad{background:#ffebe9}")
                .append("svg{max-width:100%;height:auto;background:#fafafa;border:1px solid #eee}")
                .append("</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(result.scenario().description()))
                .append("</p>\n<p class=\"").append(result.passed() ? "pass" : "fail").append("\"><strong>")
                .append(esc(Report.verdict(result))).append("</strong></p>\n");
        html.append("<p>Started ").append(esc(result.startedAt().toString())).append("; providers ")
                .append(esc(String.join(", ", result.scenario().providers()))).append("; the direct path talks to ")
                .append(esc(direct)).append(" through its fault proxy. Load per path: ")
                .append(result.scenario().load().readers()).append(" readers, ")
                .append(result.scenario().load().transfersPerSecond()).append(" transfers/s.</p>\n");
        table(html, result);
        html.append("<h2>Errors and wrong values per second</h2>\n");
        chart(html, result, "errors + wrong values", s -> s.errors() + s.wrong(), s -> s.errors() + s.wrong(), false);
        html.append("<h2>Latency per second (ms, logarithmic): max solid, p50 dashed</h2>\n");
        chart(html, result, "max (solid) and p50 (dashed) latency, ms", PathStats::maxMillis, PathStats::p50Millis,
                true);
        html.append("<p><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"").append(OUTLAST)
                .append("\"/></svg> through Outlast &nbsp; <svg width=\"12\" height=\"12\"><rect width=\"12\" ")
                .append("height=\"12\" fill=\"").append(DIRECT).append("\"/></svg> direct to ").append(esc(direct))
                .append("</p>\n</body></html>\n");
        return html.toString();
    }

    private static void table(StringBuilder html, ScenarioResult result) {
        html.append("<table><tr><th>phase</th><th class=\"l\">faults</th><th class=\"l\">path</th><th>requests</th>")
                .append("<th>errors</th>")
                .append("<th>wrong</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr>\n");
        for (int i = 0; i < result.phases().size(); i++) {
            PhaseResult phase = result.phases().get(i);
            row(html, (i + 1) + " " + phase.phase().name(), Report.faultsLine(phase.phase()), "outlast",
                    phase.outlast());
            row(html, "", "", "direct", phase.direct());
        }
        row(html, "total", "", "outlast", result.outlastTotal());
        row(html, "", "", "direct", result.directTotal());
        html.append("</table>\n");
        for (PhaseResult phase : result.phases()) {
            samples(html, phase.phase().name() + " through Outlast", phase.outlast());
            samples(html, phase.phase().name() + " direct", phase.direct());
        }
    }

    private static void row(StringBuilder html, String phase, String faults, String path, PathStats s) {
        html.append("<tr").append(s.clean() ? "" : " class=\"bad\"").append("><td>").append(esc(phase))
                .append("</td><td class=\"l\">").append(esc(faults)).append("</td><td class=\"l\">").append(path)
                .append("</td><td>").append(s.requests()).append("</td><td>").append(s.errors()).append("</td><td>")
                .append(s.wrong()).append("</td><td>").append(s.p50Millis()).append("</td><td>")
                .append(s.p99Millis()).append("</td><td>").append(s.maxMillis()).append("</td></tr>\n");
    }

    private static void samples(StringBuilder html, String what, PathStats s) {
        if (s.samples().isEmpty()) {
            return;
        }
        html.append("<details><summary>").append(esc(what)).append(": first failures</summary><ul>");
        s.samples().forEach(x -> html.append("<li><code>").append(esc(x)).append("</code></li>"));
        html.append("</ul></details>\n");
    }

    /** One chart: the first value as bars (or solid lines), the second as dashed lines when {@code lines}. */
    private static void chart(StringBuilder html, ScenarioResult result, String label, ToLongFunction<PathStats> main,
                              ToLongFunction<PathStats> second, boolean lines) {
        List<PathStats> o = result.outlastTimeline();
        List<PathStats> d = result.directTimeline();
        int seconds = Math.max(1, Math.max(o.size(), d.size()));
        long max = 1;
        for (PathStats s : o) {
            max = Math.max(max, main.applyAsLong(s));
        }
        for (PathStats s : d) {
            max = Math.max(max, main.applyAsLong(s));
        }
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double step = plotW / seconds;
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT,
                esc(label)));
        axes(html, max, seconds, plotH, lines);
        phases(html, result, step, plotH);
        if (lines) {
            polyline(html, o, main, step, plotH, max, OUTLAST, false);
            polyline(html, d, main, step, plotH, max, DIRECT, false);
            polyline(html, o, second, step, plotH, max, OUTLAST, true);
            polyline(html, d, second, step, plotH, max, DIRECT, true);
        } else {
            bars(html, o, main, step, plotH, max, OUTLAST, 0);
            bars(html, d, main, step, plotH, max, DIRECT, 1);
        }
        html.append("</svg>\n");
    }

    private static void axes(StringBuilder html, long max, int seconds, double plotH, boolean log) {
        double bottom = TOP + plotH;
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\"/>\n", LEFT, bottom, WIDTH - RIGHT,
                bottom, LEFT, TOP, LEFT, bottom));
        if (log) {
            double top = Math.log10(Math.max(10, max));
            for (long tick = 1; tick <= Math.max(10, max); tick *= 10) {
                double y = bottom - plotH * Math.log10(tick) / top;
                html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                        + "stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d"
                        + "</text>\n", LEFT, y, WIDTH - RIGHT, y, LEFT - 4, y + 4, tick));
            }
        } else {
            html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d"
                    + "</text><text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">0</text>\n", LEFT - 4,
                    TOP + 4, max, LEFT - 4, bottom + 4));
        }
        html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d s"
                + "</text>\n", WIDTH - RIGHT, HEIGHT - 6, seconds));
    }

    private static void phases(StringBuilder html, ScenarioResult result, double step, double plotH) {
        for (int i = 0; i < result.phaseStarts().size(); i++) {
            double x = LEFT + result.phaseStarts().get(i) * step;
            html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#bbb\" stroke-dasharray=\"2,3\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                    + "fill=\"#555\"><title>%s</title>%d</text>\n", x, TOP - 10, x, TOP + plotH, x + 2, TOP - 4,
                    esc(result.phases().get(i).phase().name()), i + 1));
        }
    }

    private static void bars(StringBuilder html, List<PathStats> series, ToLongFunction<PathStats> value, double step,
                             double plotH, long max, String color, int slot) {
        double w = Math.max(1, step / 2 - 1);
        for (int t = 0; t < series.size(); t++) {
            long v = value.applyAsLong(series.get(t));
            if (v == 0) {
                continue;
            }
            double h = plotH * v / max;
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"><title>%ds: %d</title></rect>\n", LEFT + t * step + slot * w, TOP + plotH - h, w, h,
                    color, t, v));
        }
    }

    /** Lines on a logarithmic scale (1 ms at the bottom), broken where a second had no request. */
    private static void polyline(StringBuilder html, List<PathStats> series, ToLongFunction<PathStats> value,
                                 double step, double plotH, long max, String color, boolean dashed) {
        double top = Math.log10(Math.max(10, max));
        StringBuilder points = new StringBuilder();
        for (int t = 0; t <= series.size(); t++) {
            if (t == series.size() || series.get(t).requests() == 0) {
                if (!points.isEmpty()) {
                    html.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"")
                            .append(dashed ? " stroke-dasharray=\"4,3\"" : "").append(" points=\"")
                            .append(points.toString().strip()).append("\"/>\n");
                    points.setLength(0);
                }
                continue;
            }
            double v = Math.log10(Math.max(1, value.applyAsLong(series.get(t))));
            double y = TOP + plotH - plotH * v / top;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (t + 0.5) * step, y));
        }
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
