// Draws the bench report's charts into its SVG elements from the JSON in #bench-data. No library:
// the report must be one file that opens anywhere without a network. After drawing, each chart
// gets data-rendered="true", data-series and data-points, which the browser test reads back.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var DASHES = ["", "6 3", "2 3", "8 3 2 3"];
  var M = { left: 70, right: 45, top: 20, bottom: 50 };

  function el(parent, name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    parent.appendChild(e);
    return e;
  }

  function size(svg) {
    var vb = svg.getAttribute("viewBox").split(" ").map(Number);
    return { w: vb[2], h: vb[3], pw: vb[2] - M.left - M.right, ph: vb[3] - M.top - M.bottom };
  }

  function fmt(v) {
    if (v >= 1e6) { return (v / 1e6).toPrecision(3) + "M"; }
    if (v >= 1e3) { return (v / 1e3).toPrecision(3) + "k"; }
    return String(Math.round(v * 100) / 100);
  }

  // Axes with grid lines; ticks are [{at: pixel offset, label}] along x and y.
  function axes(svg, s, xTicks, yTicks, xTitle, yTitle) {
    var g = el(svg, "g", { "class": "grid" });
    var a = el(svg, "g", { "class": "axis" });
    xTicks.forEach(function (t) {
      el(g, "line", { x1: M.left + t.at, x2: M.left + t.at, y1: M.top, y2: M.top + s.ph });
      el(a, "text", { x: M.left + t.at, y: M.top + s.ph + 16, "text-anchor": "middle" }, t.label);
    });
    yTicks.forEach(function (t) {
      el(g, "line", { x1: M.left, x2: M.left + s.pw, y1: M.top + s.ph - t.at, y2: M.top + s.ph - t.at });
      el(a, "text", { x: M.left - 6, y: M.top + s.ph - t.at + 4, "text-anchor": "end" }, t.label);
    });
    el(a, "line", { x1: M.left, x2: M.left + s.pw, y1: M.top + s.ph, y2: M.top + s.ph });
    el(a, "line", { x1: M.left, x2: M.left, y1: M.top, y2: M.top + s.ph });
    el(a, "text", { x: M.left + s.pw / 2, y: s.h - 10, "text-anchor": "middle", "class": "axis-title" }, xTitle);
    el(a, "text", { x: 14, y: M.top + s.ph / 2, "text-anchor": "middle", "class": "axis-title",
      transform: "rotate(-90 14 " + (M.top + s.ph / 2) + ")" }, yTitle);
  }

  // One polyline per series ({label, op, color, dash, points: [[px, py]]}) and a legend entry for each.
  function draw(svg, s, series) {
    var total = 0;
    var legend = el(svg, "g", { "class": "legend" });
    series.forEach(function (ser, i) {
      var pts = ser.points.map(function (p) {
        return (M.left + p[0]).toFixed(1) + "," + (M.top + s.ph - p[1]).toFixed(1);
      });
      el(svg, "polyline", { "class": "series", points: pts.join(" "), stroke: ser.color,
        "stroke-dasharray": ser.dash, "data-label": ser.label, "data-op": ser.op || "", "data-points": pts.length });
      total += pts.length;
      var y = M.top + 10 + i * 18;
      var e = el(legend, "g", { "class": "legend-entry", "data-label": ser.label, "data-op": ser.op || "" });
      el(e, "line", { x1: M.left + 12, x2: M.left + 40, y1: y, y2: y, stroke: ser.color, "stroke-width": 2,
        "stroke-dasharray": ser.dash });
      el(e, "text", { x: M.left + 46, y: y + 4 }, ser.op ? ser.label + " " + ser.op : ser.label);
    });
    svg.setAttribute("data-series", series.length);
    svg.setAttribute("data-points", total);
    svg.setAttribute("data-rendered", "true");
  }

  // Latency by percentile: x is log10(1 / (1 - p)), as HdrHistogram's plots; y is log10 of microseconds,
  // so configs a hundred times apart both stay readable.
  function latencyChart(svg, data) {
    var s = size(svg);
    var raw = [];
    data.results.forEach(function (r, ri) {
      Object.keys(r.run.latencies).forEach(function (op, oi) {
        var d = r.run.latencies[op].distribution;
        if (d.length === 0) { return; }
        raw.push({ label: r.label, op: op, color: COLORS[(ri * 3 + oi) % COLORS.length], dash: DASHES[ri % DASHES.length],
          xy: d.map(function (p) { return [Math.log10(100 / (100 - p.percentile)), Math.log10(Math.max(p.micros, 0.01))]; }) });
      });
    });
    var xMax = 1, yMin = Infinity, yMax = -Infinity;
    raw.forEach(function (r) { r.xy.forEach(function (p) {
      xMax = Math.max(xMax, p[0]); yMin = Math.min(yMin, p[1]); yMax = Math.max(yMax, p[1]); }); });
    xMax = Math.ceil(xMax);
    yMin = Math.floor(yMin); yMax = Math.max(yMin + 1, Math.ceil(yMax));
    var xTicks = [], yTicks = [];
    for (var i = 0; i <= xMax; i++) {
      xTicks.push({ at: s.pw * i / xMax, label: i === 0 ? "0%" : (100 - 100 / Math.pow(10, i)).toFixed(Math.max(0, i - 2)) + "%" });
    }
    for (var j = yMin; j <= yMax; j++) {
      yTicks.push({ at: s.ph * (j - yMin) / (yMax - yMin), label: fmt(Math.pow(10, j)) });
    }
    axes(svg, s, xTicks, yTicks, "percentile", "latency (\u00b5s, log scale)");
    draw(svg, s, raw.map(function (r) {
      return { label: r.label, op: r.op, color: r.color, dash: r.dash, points: r.xy.map(function (p) {
        return [s.pw * p[0] / xMax, s.ph * (p[1] - yMin) / (yMax - yMin)]; }) };
    }));
  }

  // Throughput over time: one line per config, seconds since the measured run began.
  function throughputChart(svg, data) {
    var s = size(svg);
    var xMax = 0, yMax = 0;
    data.results.forEach(function (r) {
      xMax = Math.max(xMax, r.spec.durationMillis / 1000);
      r.throughput.forEach(function (p) { xMax = Math.max(xMax, p.seconds); yMax = Math.max(yMax, p.opsPerSecond); });
    });
    yMax = yMax > 0 ? yMax * 1.1 : 1;
    var xTicks = [], yTicks = [];
    for (var i = 0; i <= 5; i++) {
      xTicks.push({ at: s.pw * i / 5, label: (xMax * i / 5).toFixed(xMax < 10 ? 1 : 0) + " s" });
      yTicks.push({ at: s.ph * i / 5, label: fmt(yMax * i / 5) });
    }
    axes(svg, s, xTicks, yTicks, "time (s)", "operations per second");
    draw(svg, s, data.results.map(function (r, ri) {
      return { label: r.label, color: COLORS[ri % COLORS.length], dash: DASHES[ri % DASHES.length],
        points: r.throughput.map(function (p) { return [s.pw * p.seconds / xMax, s.ph * p.opsPerSecond / yMax]; }) };
    }));
  }

  var data = JSON.parse(document.getElementById("bench-data").textContent);
  [["latency-chart", latencyChart], ["throughput-chart", throughputChart]].forEach(function (c) {
    var svg = document.getElementById(c[0]);
    try {
      c[1](svg, data);
    } catch (e) {
      svg.setAttribute("data-error", String(e));
    }
  });
})();
