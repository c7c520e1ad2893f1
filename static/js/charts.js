/*
 * Smart Loyalty — declarative Chart.js charts. Vanilla JS, loaded with `defer` AFTER
 * vendor/chartjs/chart.umd.min.js. Templates contain no inline JavaScript:
 *
 *   {{ spec|json_script:"segments-data" }}
 *   <div class="chart-box">
 *     <canvas data-chart="doughnut" data-source="segments-data" role="img"
 *             aria-label="Customers per RFM segment"></canvas>
 *   </div>
 *
 * data-chart: bar | horizontal-bar | line | doughnut | histogram | roc | calibration | importance
 * data-source: id of the <script type="application/json"> element holding the spec (see README of
 * each builder below). Optional: data-empty="…" (text shown when the spec has no data),
 * data-fallback="…" (text shown when the chart cannot be drawn).
 *
 * Never throws: a missing library, a missing or invalid spec, or an empty data set replaces the
 * canvas with <p class="chart-fallback">…</p> (the reason is in its data-chart-error attribute).
 * No console output. CSP-safe: no eval / new Function, no style attributes in markup (Chart.js sets
 * canvas sizes through the CSSOM, which style-src 'self' allows).
 */
(function () {
  "use strict";

  var ns = window.SmartLoyalty = window.SmartLoyalty || {};
  if (ns.chartsLoaded) {
    return;
  }
  ns.chartsLoaded = true;

  /* ---------------------------------------------------------------------------------------------
   * Palette: Okabe–Ito (colour-blind safe), yellow last because it is faint on white.
   * ------------------------------------------------------------------------------------------- */
  var PALETTE = [
    "#0072b2", // blue
    "#e69f00", // orange
    "#009e73", // bluish green
    "#d55e00", // vermillion
    "#cc79a7", // reddish purple
    "#56b4e9", // sky blue
    "#999933", // olive (Tol)
    "#882255", // wine (Tol)
    "#4b5563", // slate
    "#f0e442" // yellow
  ];
  var NEUTRAL = "#6b7280";
  var NEGATIVE = "#9aa5b5";
  var REFERENCE_LINE = "#6b7280";
  var FONT_STACK =
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", ' +
    '"Liberation Sans", Arial, sans-serif';

  // The 11 RFM segments. Colours come from the --seg-* custom properties in app.css (so badges and
  // charts always agree); these literals are only the fallback when the stylesheet is absent.
  var SEGMENT_COLOURS = {
    "champions": "#0072b2",
    "loyal-customers": "#009e73",
    "potential-loyalist": "#56b4e9",
    "recent-customers": "#cc79a7",
    "promising": "#f0e442",
    "need-attention": "#e69f00",
    "about-to-sleep": "#999933",
    "at-risk": "#d55e00",
    "cant-lose-them": "#882255",
    "hibernating": "#a3aab5",
    "lost": "#4b5563"
  };

  function slugify(text) {
    return String(text)
      .toLowerCase()
      .replace(/['\u2019\u2018`]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  function segmentColour(label) {
    var slug = slugify(label);
    if (!Object.prototype.hasOwnProperty.call(SEGMENT_COLOURS, slug)) {
      return null;
    }
    var css = "";
    try {
      css = window.getComputedStyle(document.documentElement).getPropertyValue("--seg-" + slug);
    } catch (error) {
      css = "";
    }
    css = (css || "").trim();
    return css || SEGMENT_COLOURS[slug];
  }

  /** Segment colours for every label, or null when any label is not a segment name. */
  function segmentColours(labels) {
    if (!labels.length) {
      return null;
    }
    var colours = [];
    for (var i = 0; i < labels.length; i += 1) {
      var colour = segmentColour(labels[i]);
      if (!colour) {
        return null;
      }
      colours.push(colour);
    }
    return colours;
  }

  function withAlpha(hex, alpha) {
    var m = /^#([0-9a-f]{6})$/i.exec(String(hex).trim());
    if (!m) {
      return hex;
    }
    var n = parseInt(m[1], 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  /* ---------------------------------------------------------------------------------------------
   * Number formatting
   * ------------------------------------------------------------------------------------------- */
  var LOCALE = document.documentElement.getAttribute("lang") || undefined;
  var formatterCache = {};

  function numberFormat(options) {
    var key = JSON.stringify(options);
    if (!formatterCache[key]) {
      try {
        formatterCache[key] = new Intl.NumberFormat(LOCALE, options);
      } catch (error) {
        try {
          formatterCache[key] = new Intl.NumberFormat(undefined, options);
        } catch (error2) {
          formatterCache[key] = new Intl.NumberFormat();
        }
      }
    }
    return formatterCache[key];
  }

  function isNum(value) {
    return typeof value === "number" && isFinite(value);
  }

  function formatNumber(value) {
    if (!isNum(value)) {
      return value === null || value === undefined ? "–" : String(value);
    }
    var abs = Math.abs(value);
    if (abs !== 0 && abs < 0.001) {
      return numberFormat({ maximumSignificantDigits: 2 }).format(value);
    }
    var digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 3;
    return numberFormat({ maximumFractionDigits: digits }).format(value);
  }

  function formatPercent(value) {
    if (!isNum(value)) {
      return "–";
    }
    var digits = Math.abs(value) < 0.1 && value !== 0 ? 1 : Math.abs(value) >= 0.995 ? 0 : 1;
    return numberFormat({ style: "percent", maximumFractionDigits: digits }).format(value);
  }

  function formatInteger(value) {
    return isNum(value) ? numberFormat({ maximumFractionDigits: 0 }).format(value) : "–";
  }

  function currencyFormatter(code) {
    return function (value) {
      if (!isNum(value)) {
        return "–";
      }
      try {
        return numberFormat({
          style: "currency",
          currency: code,
          maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2
        }).format(value);
      } catch (error) {
        return formatNumber(value);
      }
    };
  }

  function compactTick(value) {
    if (!isNum(value)) {
      return "";
    }
    if (Math.abs(value) >= 10000) {
      return numberFormat({ notation: "compact", maximumFractionDigits: 1 }).format(value);
    }
    return formatNumber(value);
  }

  /** "percent" when every value lies in [0, 1] and at least one is fractional, else "number". */
  function detectFormat(values) {
    var seen = false;
    var fractional = false;
    for (var i = 0; i < values.length; i += 1) {
      var v = values[i];
      if (!isNum(v)) {
        continue;
      }
      seen = true;
      if (v < 0 || v > 1) {
        return "number";
      }
      if (v !== Math.round(v)) {
        fractional = true;
      }
    }
    return seen && fractional ? "percent" : "number";
  }

  /** {tick, full} formatting functions for a format name. */
  function formatters(kind, currency) {
    switch (kind) {
      case "percent":
        return { tick: formatPercent, full: formatPercent };
      case "integer":
        return {
          tick: function (v) {
            return compactTick(v);
          },
          full: formatInteger
        };
      case "currency":
        if (currency) {
          var money = currencyFormatter(String(currency));
          return {
            tick: function (v) {
              return Math.abs(v) >= 10000 ? compactTick(v) : money(v);
            },
            full: money
          };
        }
        return { tick: compactTick, full: formatNumber };
      default:
        return { tick: compactTick, full: formatNumber };
    }
  }

  /* ---------------------------------------------------------------------------------------------
   * Spec validation helpers. SpecError = broken spec; NoData = valid but nothing to draw.
   * ------------------------------------------------------------------------------------------- */
  function SpecError(message) {
    this.message = message;
  }
  function NoData(message) {
    this.message = message || "no data";
  }

  function requireArray(value, name) {
    if (!Array.isArray(value)) {
      throw new SpecError("'" + name + "' must be a list");
    }
    return value;
  }

  function toNumberOrNull(value) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    var n = typeof value === "number" ? value : parseFloat(value);
    return isFinite(n) ? n : null;
  }

  function numbers(value, name) {
    return requireArray(value, name).map(toNumberOrNull);
  }

  function hasAnyNumber(values) {
    for (var i = 0; i < values.length; i += 1) {
      if (isNum(values[i])) {
        return true;
      }
    }
    return false;
  }

  function str(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function axisTitle(text) {
    return { display: !!text, text: str(text), font: { weight: "600" } };
  }

  function safeUrl(raw) {
    if (typeof raw !== "string" || raw === "") {
      return null;
    }
    try {
      var url = new URL(raw, window.location.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        return null;
      }
      return url.href;
    } catch (error) {
      return null;
    }
  }

  /** onClick / onHover handlers that navigate to links[index] (one URL per label). */
  function linkHandlers(links) {
    if (!Array.isArray(links) || !links.length) {
      return {};
    }
    var urls = links.map(safeUrl);
    function urlFor(elements) {
      return elements && elements.length ? urls[elements[0].index] || null : null;
    }
    return {
      onClick: function (event, elements) {
        var href = urlFor(elements);
        if (href) {
          window.location.assign(href);
        }
      },
      onHover: function (event, elements) {
        var target = event && event.native ? event.native.target : null;
        if (target && target.style) {
          target.style.cursor = urlFor(elements) ? "pointer" : "";
        }
      }
    };
  }

  function assign(target) {
    for (var i = 1; i < arguments.length; i += 1) {
      var source = arguments[i];
      if (source) {
        for (var key in source) {
          if (Object.prototype.hasOwnProperty.call(source, key)) {
            target[key] = source[key];
          }
        }
      }
    }
    return target;
  }

  function baseOptions(extra) {
    return assign(
      {
        responsive: true,
        maintainAspectRatio: false,
        resizeDelay: 50,
        layout: { padding: { top: 4, right: 8, bottom: 0, left: 0 } }
      },
      extra
    );
  }

  /** Grows a .chart-box so that bar charts with many categories stay legible. */
  function ensureRowsFit(canvas, rows) {
    var box = canvas.parentElement;
    if (!box || !box.classList || !box.classList.contains("chart-box")) {
      return;
    }
    var needed = Math.round(rows * 26 + 80);
    if (box.clientHeight && box.clientHeight < needed) {
      box.style.height = needed + "px";
    }
  }

  /* ---------------------------------------------------------------------------------------------
   * Builders: spec → Chart.js config
   * ------------------------------------------------------------------------------------------- */

  /*
   * bar / horizontal-bar:
   *   {"labels": [...], "datasets": [{"label": "...", "data": [...], "color": optional,
   *    "axis": optional "right"}], "links": optional [url per label],
   *    "x_label": "...", "y_label": "...", "format": optional "percent"|"number"|"integer"|"currency",
   *    "currency": optional ISO code, "stacked": optional bool}
   */
  function buildBar(spec, canvas, horizontal) {
    var labels = requireArray(spec.labels, "labels").map(str);
    var datasetsIn = requireArray(spec.datasets, "datasets");
    if (!datasetsIn.length) {
      throw new SpecError("'datasets' is empty");
    }
    var all = [];
    var segColours = segmentColours(labels);
    var datasets = datasetsIn.map(function (ds, i) {
      if (!ds || typeof ds !== "object") {
        throw new SpecError("dataset " + i + " is not an object");
      }
      var data = numbers(ds.data, "datasets[" + i + "].data");
      all = all.concat(data);
      var colour =
        ds.color || (segColours && datasetsIn.length === 1 ? segColours : PALETTE[i % PALETTE.length]);
      var out = {
        label: str(ds.label),
        data: data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 0,
        borderRadius: 3,
        maxBarThickness: 56
      };
      if (ds.axis === "right" && !horizontal) {
        out.yAxisID = "y1";
      }
      return out;
    });
    if (!labels.length || !hasAnyNumber(all)) {
      throw new NoData();
    }
    if (horizontal) {
      ensureRowsFit(canvas, labels.length * Math.max(1, datasets.length * 0.6));
    }

    var valueAxis = horizontal ? "x" : "y";
    var kind = spec.format || spec[valueAxis + "_format"] || detectFormat(all);
    var fmt = formatters(kind, spec.currency);
    var stacked = !!spec.stacked;

    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: stacked,
      title: axisTitle(spec[valueAxis + "_label"]),
      ticks: {
        callback: function (value) {
          return fmt.tick(value);
        }
      }
    };
    var catAxis = horizontal ? "y" : "x";
    scales[catAxis] = {
      stacked: stacked,
      title: axisTitle(spec[catAxis + "_label"]),
      grid: { display: false },
      ticks: { autoSkip: !horizontal }
    };
    var rightDatasets = datasets.filter(function (ds) {
      return ds.yAxisID === "y1";
    });
    var rightFmt = null;
    if (rightDatasets.length) {
      var rightValues = [];
      rightDatasets.forEach(function (ds) {
        rightValues = rightValues.concat(ds.data);
      });
      rightFmt = formatters(spec.y2_format || detectFormat(rightValues), spec.currency);
      scales.y1 = {
        position: "right",
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        title: axisTitle(spec.y2_label || rightDatasets[0].label),
        ticks: {
          callback: function (value) {
            return rightFmt.tick(value);
          }
        }
      };
    }

    return {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: baseOptions(
        assign(
          {
            indexAxis: horizontal ? "y" : "x",
            scales: scales,
            interaction: { mode: "nearest", axis: horizontal ? "y" : "x", intersect: false },
            plugins: {
              legend: { display: datasets.length > 1 },
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var value = horizontal ? ctx.parsed.x : ctx.parsed.y;
                    var f = ctx.dataset.yAxisID === "y1" && rightFmt ? rightFmt : fmt;
                    var name = ctx.dataset.label;
                    return (name ? name + ": " : "") + f.full(value);
                  }
                }
              }
            }
          },
          linkHandlers(spec.links)
        )
      )
    };
  }

  /*
   * line: same spec as bar; several datasets allowed; a dataset with "axis": "right" uses a second
   * y axis (title: "y2_label" or that dataset's label; format: "y2_format" or detected).
   * Optional per dataset: "color", "dashed": true. Optional: "begin_at_zero": false.
   */
  function buildLine(spec) {
    var labels = requireArray(spec.labels, "labels").map(str);
    var datasetsIn = requireArray(spec.datasets, "datasets");
    if (!datasetsIn.length) {
      throw new SpecError("'datasets' is empty");
    }
    var leftValues = [];
    var rightValues = [];
    var many = labels.length > 40;
    var datasets = datasetsIn.map(function (ds, i) {
      if (!ds || typeof ds !== "object") {
        throw new SpecError("dataset " + i + " is not an object");
      }
      var data = numbers(ds.data, "datasets[" + i + "].data");
      var right = ds.axis === "right";
      if (right) {
        rightValues = rightValues.concat(data);
      } else {
        leftValues = leftValues.concat(data);
      }
      var colour = ds.color || PALETTE[i % PALETTE.length];
      var out = {
        label: str(ds.label),
        data: data,
        yAxisID: right ? "y1" : "y",
        borderColor: colour,
        backgroundColor: withAlpha(colour, 0.15),
        pointBackgroundColor: colour,
        borderWidth: 2,
        pointRadius: many ? 0 : 3,
        pointHoverRadius: 5,
        tension: 0.25,
        fill: false,
        spanGaps: true
      };
      if (ds.dashed) {
        out.borderDash = [6, 4];
      }
      return out;
    });
    if (!labels.length || !(hasAnyNumber(leftValues) || hasAnyNumber(rightValues))) {
      throw new NoData();
    }
    var leftFmt = formatters(spec.format || spec.y_format || detectFormat(leftValues), spec.currency);
    var rightFmt = rightValues.length
      ? formatters(spec.y2_format || detectFormat(rightValues), spec.currency)
      : null;
    var scales = {
      x: {
        title: axisTitle(spec.x_label),
        grid: { display: false },
        ticks: { autoSkip: true, maxRotation: 0 }
      },
      y: {
        beginAtZero: spec.begin_at_zero !== false,
        title: axisTitle(spec.y_label),
        ticks: {
          callback: function (value) {
            return leftFmt.tick(value);
          }
        }
      }
    };
    if (rightFmt) {
      var firstRight = datasets.filter(function (ds) {
        return ds.yAxisID === "y1";
      })[0];
      scales.y1 = {
        position: "right",
        beginAtZero: spec.begin_at_zero !== false,
        grid: { drawOnChartArea: false },
        title: axisTitle(spec.y2_label || (firstRight && firstRight.label)),
        ticks: {
          callback: function (value) {
            return rightFmt.tick(value);
          }
        }
      };
      if (!hasAnyNumber(leftValues)) {
        scales.y.display = false;
      }
    }
    return {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: baseOptions(
        assign(
          {
            scales: scales,
            interaction: { mode: "index", intersect: false },
            plugins: {
              legend: { display: datasets.length > 1 },
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var f = ctx.dataset.yAxisID === "y1" && rightFmt ? rightFmt : leftFmt;
                    var name = ctx.dataset.label;
                    return (name ? name + ": " : "") + f.full(ctx.parsed.y);
                  }
                }
              }
            }
          },
          linkHandlers(spec.links)
        )
      )
    };
  }

  /*
   * doughnut: {"labels": [...], "data": [...], "links": optional [...],
   *            "format": optional, "currency": optional}
   * Segment names get their segment colour; other labels cycle through the palette.
   */
  function buildDoughnut(spec, canvas) {
    var labels = requireArray(spec.labels, "labels").map(str);
    var data = numbers(spec.data, "data");
    if (labels.length !== data.length) {
      throw new SpecError("'labels' and 'data' differ in length");
    }
    var total = 0;
    data.forEach(function (v) {
      if (isNum(v) && v > 0) {
        total += v;
      }
    });
    if (!labels.length || total <= 0) {
      throw new NoData();
    }
    var colours =
      segmentColours(labels) ||
      labels.map(function (label, i) {
        return segmentColour(label) || PALETTE[i % PALETTE.length];
      });
    var fmt = formatters(spec.format || "number", spec.currency);
    var box = canvas.parentElement;
    var initialWidth = box && box.clientWidth ? box.clientWidth : 600;
    function legendPosition(width) {
      return width < 520 ? "bottom" : "right";
    }
    return {
      type: "doughnut",
      data: {
        labels: labels,
        datasets: [
          {
            data: data,
            backgroundColor: colours,
            borderColor: "#ffffff",
            borderWidth: 2,
            hoverOffset: 6
          }
        ]
      },
      options: baseOptions(
        assign(
          {
            cutout: "55%",
            onResize: function (chart, size) {
              var position = legendPosition(size.width);
              var legend = chart.options.plugins && chart.options.plugins.legend;
              if (legend && legend.position !== position) {
                legend.position = position;
                chart.update("none");
              }
            },
            plugins: {
              legend: {
                position: legendPosition(initialWidth),
                labels: { boxWidth: 12, boxHeight: 12, padding: 10 }
              },
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var value = ctx.parsed;
                    var share = isNum(value) && total > 0 ? " (" + formatPercent(value / total) + ")" : "";
                    return ctx.label + ": " + fmt.full(value) + share;
                  }
                }
              }
            }
          },
          linkHandlers(spec.links)
        )
      )
    };
  }

  function edgeDecimals(edges) {
    for (var d = 0; d <= 3; d += 1) {
      var factor = Math.pow(10, d);
      var exact = edges.every(function (e) {
        return Math.abs(Math.round(e * factor) / factor - e) < 1e-9 * Math.max(1, Math.abs(e));
      });
      if (exact) {
        return d;
      }
    }
    return 3;
  }

  /*
   * histogram: {"edges": [e0..en], "counts": [c1..cn], "label": "...",
   *             optional "x_label", "y_label" (default "Count"), "color"}
   * Bars touch; category labels read "0.0–0.1".
   */
  function buildHistogram(spec) {
    var edges = numbers(spec.edges, "edges");
    var counts = numbers(spec.counts, "counts");
    if (!counts.length) {
      throw new NoData();
    }
    if (edges.length !== counts.length + 1) {
      throw new SpecError("'edges' must have one more entry than 'counts'");
    }
    if (!edges.every(isNum)) {
      throw new SpecError("'edges' must be numbers");
    }
    if (!hasAnyNumber(counts)) {
      throw new NoData();
    }
    var decimals = edgeDecimals(edges);
    var edgeFmt = numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    var labels = counts.map(function (c, i) {
      return edgeFmt.format(edges[i]) + "\u2013" + edgeFmt.format(edges[i + 1]);
    });
    var yTitle = spec.y_label || "Count";
    var colour = spec.color || PALETTE[0];
    var integerCounts = counts.every(function (c) {
      return !isNum(c) || c === Math.round(c);
    });
    var fmt = integerCounts ? formatInteger : formatNumber;
    return {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          {
            label: str(spec.label) || yTitle,
            data: counts,
            backgroundColor: withAlpha(colour, 0.85),
            hoverBackgroundColor: colour,
            borderColor: "#ffffff",
            borderWidth: 1,
            barPercentage: 1,
            categoryPercentage: 1
          }
        ]
      },
      options: baseOptions({
        scales: {
          x: {
            title: axisTitle(spec.x_label || spec.label),
            grid: { display: false },
            ticks: { autoSkip: true, maxRotation: 45 }
          },
          y: {
            beginAtZero: true,
            title: axisTitle(yTitle),
            ticks: {
              precision: integerCounts ? 0 : undefined,
              callback: function (value) {
                return compactTick(value);
              }
            }
          }
        },
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return yTitle + ": " + fmt(ctx.parsed.y);
              }
            }
          }
        }
      })
    };
  }

  function diagonal(label) {
    return {
      label: label,
      data: [
        { x: 0, y: 0 },
        { x: 1, y: 1 }
      ],
      borderColor: REFERENCE_LINE,
      backgroundColor: REFERENCE_LINE,
      borderDash: [6, 6],
      borderWidth: 1.5,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 0,
      fill: false,
      showLine: true,
      isReference: true
    };
  }

  function unitAxis(title) {
    return {
      type: "linear",
      min: 0,
      max: 1,
      title: axisTitle(title),
      ticks: {
        stepSize: 0.2,
        callback: function (value) {
          return formatPercent(value);
        }
      }
    };
  }

  function notReference(item) {
    return !(item.dataset && item.dataset.isReference);
  }

  /*
   * roc: {"curves": [{"label": "...", "fpr": [...], "tpr": [...], "auc": optional number}, ...],
   *       optional "x_label", "y_label"}
   * Linear 0–1 axes in percent, dashed "Chance" diagonal. "auc" (when given and not already in the
   * label) is appended to the legend label as "(AUC 0.81)".
   */
  function buildRoc(spec) {
    var curves = requireArray(spec.curves, "curves");
    var datasets = [];
    curves.forEach(function (curve, i) {
      if (!curve || typeof curve !== "object") {
        throw new SpecError("curve " + i + " is not an object");
      }
      var fpr = numbers(curve.fpr, "curves[" + i + "].fpr");
      var tpr = numbers(curve.tpr, "curves[" + i + "].tpr");
      if (fpr.length !== tpr.length) {
        throw new SpecError("curve " + i + ": 'fpr' and 'tpr' differ in length");
      }
      var points = [];
      for (var k = 0; k < fpr.length; k += 1) {
        if (isNum(fpr[k]) && isNum(tpr[k])) {
          points.push({ x: fpr[k], y: tpr[k] });
        }
      }
      if (points.length < 2) {
        return;
      }
      var label = str(curve.label) || "Model " + (i + 1);
      if (isNum(curve.auc) && !/auc/i.test(label)) {
        label += " (AUC " + numberFormat({ minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(curve.auc) + ")";
      }
      var colour = curve.color || PALETTE[i % PALETTE.length];
      datasets.push({
        label: label,
        data: points,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: 0,
        pointHoverRadius: 4,
        pointHitRadius: 6,
        tension: 0,
        fill: false,
        showLine: true
      });
    });
    if (!datasets.length) {
      throw new NoData();
    }
    datasets.push(diagonal("Chance"));
    return {
      type: "line",
      data: { datasets: datasets },
      options: baseOptions({
        parsing: true,
        scales: {
          x: unitAxis(spec.x_label || "False positive rate"),
          y: unitAxis(spec.y_label || "True positive rate")
        },
        interaction: { mode: "nearest", intersect: false, axis: "xy" },
        plugins: {
          legend: { display: true, position: "bottom", labels: { boxWidth: 16, boxHeight: 2 } },
          tooltip: {
            filter: notReference,
            callbacks: {
              title: function () {
                return "";
              },
              label: function (ctx) {
                return (
                  ctx.dataset.label +
                  ": FPR " +
                  formatPercent(ctx.parsed.x) +
                  ", TPR " +
                  formatPercent(ctx.parsed.y)
                );
              }
            }
          }
        }
      })
    };
  }

  /*
   * calibration: {"predicted": [...], "observed": [...], "count": optional [...],
   *               optional "label" (default "Model"), "x_label", "y_label"}
   * Points (mean predicted vs observed rate, area ∝ count) joined by a thin line, plus the dashed
   * "Perfectly calibrated" diagonal; both axes 0–1 in percent. Bins with a null value are skipped.
   */
  function buildCalibration(spec) {
    var predicted = numbers(spec.predicted, "predicted");
    var observed = numbers(spec.observed, "observed");
    if (predicted.length !== observed.length) {
      throw new SpecError("'predicted' and 'observed' differ in length");
    }
    var counts = spec.count === undefined || spec.count === null ? [] : numbers(spec.count, "count");
    var points = [];
    var maxCount = 0;
    for (var i = 0; i < predicted.length; i += 1) {
      var n = isNum(counts[i]) ? counts[i] : null;
      if (isNum(predicted[i]) && isNum(observed[i]) && (n === null || n > 0)) {
        points.push({ x: predicted[i], y: observed[i], n: n });
        if (n !== null && n > maxCount) {
          maxCount = n;
        }
      }
    }
    if (!points.length) {
      throw new NoData();
    }
    points.sort(function (a, b) {
      return a.x - b.x;
    });
    var radii = points.map(function (p) {
      return p.n !== null && maxCount > 0 ? 3 + 6 * Math.sqrt(p.n / maxCount) : 4;
    });
    var colour = spec.color || PALETTE[0];
    return {
      type: "scatter",
      data: {
        datasets: [
          {
            label: str(spec.label) || "Model",
            data: points,
            showLine: true,
            borderColor: colour,
            borderWidth: 1.5,
            backgroundColor: withAlpha(colour, 0.75),
            pointBorderColor: "#ffffff",
            pointBorderWidth: 1,
            pointRadius: radii,
            pointHoverRadius: radii.map(function (r) {
              return r + 2;
            })
          },
          diagonal("Perfectly calibrated")
        ]
      },
      options: baseOptions({
        scales: {
          x: unitAxis(spec.x_label || "Mean predicted probability"),
          y: unitAxis(spec.y_label || "Observed rate")
        },
        interaction: { mode: "nearest", intersect: true },
        plugins: {
          legend: { display: true, position: "bottom", labels: { boxWidth: 16, boxHeight: 2 } },
          tooltip: {
            filter: notReference,
            callbacks: {
              title: function () {
                return "";
              },
              label: function (ctx) {
                var raw = ctx.raw || {};
                var text =
                  "Predicted " + formatPercent(ctx.parsed.x) + ", observed " + formatPercent(ctx.parsed.y);
                if (isNum(raw.n)) {
                  text += " (n = " + formatInteger(raw.n) + ")";
                }
                return text;
              }
            }
          }
        }
      })
    };
  }

  /*
   * importance: {"features": [...], "values": [...], "errors": optional [...],
   *              optional "x_label" (default "Importance"), "format", "label"}
   * Horizontal bars in the order given; errors drawn as ± whiskers; negative values in grey.
   */
  function buildImportance(spec, canvas) {
    var features = requireArray(spec.features, "features").map(str);
    var values = numbers(spec.values, "values");
    if (features.length !== values.length) {
      throw new SpecError("'features' and 'values' differ in length");
    }
    var errors = spec.errors === undefined || spec.errors === null ? [] : numbers(spec.errors, "errors");
    if (errors.length && errors.length !== values.length) {
      throw new SpecError("'errors' and 'values' differ in length");
    }
    if (!features.length || !hasAnyNumber(values)) {
      throw new NoData();
    }
    ensureRowsFit(canvas, features.length);
    var lo = 0;
    var hi = 0;
    values.forEach(function (v, i) {
      if (!isNum(v)) {
        return;
      }
      var e = isNum(errors[i]) ? Math.abs(errors[i]) : 0;
      lo = Math.min(lo, v - e);
      hi = Math.max(hi, v + e);
    });
    var fmt = formatters(spec.format || "number", spec.currency);
    var colour = spec.color || PALETTE[0];
    var whiskers = {
      id: "slErrorBars",
      afterDatasetsDraw: function (chart) {
        if (!errors.length) {
          return;
        }
        var meta = chart.getDatasetMeta(0);
        var scale = chart.scales.x;
        if (!meta || meta.hidden || !scale) {
          return;
        }
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#1f2937";
        ctx.lineWidth = 1.25;
        meta.data.forEach(function (bar, i) {
          var v = values[i];
          var e = errors[i];
          if (!isNum(v) || !isNum(e) || e === 0 || !bar) {
            return;
          }
          var x1 = scale.getPixelForValue(v - Math.abs(e));
          var x2 = scale.getPixelForValue(v + Math.abs(e));
          var y = bar.y;
          var cap = Math.max(3, Math.min(6, (bar.height || 12) / 3));
          ctx.beginPath();
          ctx.moveTo(x1, y);
          ctx.lineTo(x2, y);
          ctx.moveTo(x1, y - cap);
          ctx.lineTo(x1, y + cap);
          ctx.moveTo(x2, y - cap);
          ctx.lineTo(x2, y + cap);
          ctx.stroke();
        });
        ctx.restore();
      }
    };
    return {
      type: "bar",
      data: {
        labels: features,
        datasets: [
          {
            label: str(spec.label) || "Importance",
            data: values,
            backgroundColor: values.map(function (v) {
              return isNum(v) && v < 0 ? NEGATIVE : colour;
            }),
            borderWidth: 0,
            borderRadius: 3,
            maxBarThickness: 28
          }
        ]
      },
      plugins: [whiskers],
      options: baseOptions({
        indexAxis: "y",
        scales: {
          x: {
            suggestedMin: lo,
            suggestedMax: hi,
            title: axisTitle(spec.x_label || "Importance"),
            ticks: {
              callback: function (value) {
                return fmt.tick(value);
              }
            }
          },
          y: {
            grid: { display: false },
            title: axisTitle(spec.y_label),
            ticks: { autoSkip: false }
          }
        },
        interaction: { mode: "nearest", axis: "y", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var e = errors[ctx.dataIndex];
                return fmt.full(ctx.parsed.x) + (isNum(e) ? " \u00b1 " + fmt.full(Math.abs(e)) : "");
              }
            }
          }
        }
      })
    };
  }

  var BUILDERS = {
    "bar": function (spec, canvas) {
      return buildBar(spec, canvas, false);
    },
    "horizontal-bar": function (spec, canvas) {
      return buildBar(spec, canvas, true);
    },
    "line": buildLine,
    "doughnut": buildDoughnut,
    "histogram": buildHistogram,
    "roc": buildRoc,
    "calibration": buildCalibration,
    "importance": buildImportance
  };

  /* ---------------------------------------------------------------------------------------------
   * Rendering
   * ------------------------------------------------------------------------------------------- */
  var defaultsApplied = false;

  function applyDefaults(Chart) {
    if (defaultsApplied) {
      return;
    }
    defaultsApplied = true;
    try {
      Chart.defaults.font.family = FONT_STACK;
      Chart.defaults.font.size = 12;
      Chart.defaults.color = "#374151";
      Chart.defaults.borderColor = "rgba(15, 23, 42, 0.08)";
      Chart.defaults.plugins.legend.labels.boxWidth = 12;
      Chart.defaults.plugins.legend.labels.boxHeight = 12;
      Chart.defaults.plugins.tooltip.padding = 10;
      Chart.defaults.plugins.tooltip.cornerRadius = 6;
      Chart.defaults.plugins.tooltip.backgroundColor = "rgba(17, 24, 39, 0.92)";
      if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        Chart.defaults.animation = false;
      }
    } catch (error) {
      // Cosmetic only.
    }
  }

  function fallback(canvas, message, reason) {
    if (!canvas.parentNode) {
      return;
    }
    var label = canvas.getAttribute("aria-label");
    var hasOwnFallback = (canvas.textContent || "").trim() !== "";
    var node;
    if (hasOwnFallback) {
      // The template put fallback content inside <canvas>: show that instead of our message.
      node = document.createElement("div");
      while (canvas.firstChild) {
        node.appendChild(canvas.firstChild);
      }
    } else {
      node = document.createElement("p");
      node.textContent = label ? label + ": " + message : message;
    }
    node.className = "chart-fallback";
    if (canvas.id) {
      node.id = canvas.id;
    }
    node.setAttribute("data-chart-error", reason || message);
    canvas.parentNode.replaceChild(node, canvas);
  }

  function readSpec(canvas) {
    var id = canvas.getAttribute("data-source");
    if (!id) {
      return { error: "no data-source attribute" };
    }
    var source = document.getElementById(id);
    if (!source) {
      return { error: "no element with id '" + id + "'" };
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent || "");
    } catch (error) {
      return { error: "invalid JSON in #" + id };
    }
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) {
      return { error: "#" + id + " does not hold a JSON object" };
    }
    return { spec: spec };
  }

  function renderCanvas(canvas) {
    var Chart = window.Chart;
    if (Chart && typeof Chart.getChart === "function" && Chart.getChart(canvas)) {
      return; // already drawn
    }
    if (!canvas.isConnected) {
      return;
    }
    var type = (canvas.getAttribute("data-chart") || "").trim().toLowerCase();
    var unavailable = canvas.getAttribute("data-fallback") || "Chart unavailable.";
    var builder = Object.prototype.hasOwnProperty.call(BUILDERS, type) ? BUILDERS[type] : null;
    if (!builder) {
      fallback(canvas, unavailable, "unsupported chart type '" + type + "'");
      return;
    }
    if (typeof Chart !== "function") {
      fallback(canvas, unavailable, "Chart.js is not loaded");
      return;
    }
    applyDefaults(Chart);
    var read = readSpec(canvas);
    if (read.error) {
      fallback(canvas, unavailable, read.error);
      return;
    }
    var config;
    try {
      config = builder(read.spec, canvas);
    } catch (error) {
      if (error instanceof NoData) {
        fallback(canvas, canvas.getAttribute("data-empty") || "No data to chart yet.", "no data");
      } else {
        fallback(canvas, unavailable, error && error.message ? error.message : "invalid spec");
      }
      return;
    }
    try {
      new Chart(canvas, config);
      canvas.setAttribute("data-chart-rendered", "true");
    } catch (error) {
      var existing = Chart.getChart ? Chart.getChart(canvas) : null;
      if (existing) {
        try {
          existing.destroy();
        } catch (ignored) {
          // nothing more to do
        }
      }
      fallback(canvas, unavailable, "Chart.js error: " + (error && error.message ? error.message : error));
    }
  }

  function renderAll(scope) {
    var base = scope && scope.querySelectorAll ? scope : document;
    var canvases = Array.prototype.slice.call(base.querySelectorAll("canvas[data-chart]"));
    if (base.matches && base.matches("canvas[data-chart]")) {
      canvases.unshift(base);
    }
    canvases.forEach(function (canvas) {
      try {
        renderCanvas(canvas);
      } catch (error) {
        try {
          fallback(canvas, "Chart unavailable.", "unexpected error");
        } catch (ignored) {
          // give up quietly
        }
      }
    });
  }

  /** Destroys charts whose canvas has left the document (after htmx replaced their content). */
  function sweepDetached() {
    var Chart = window.Chart;
    if (!Chart || !Chart.instances) {
      return;
    }
    Object.keys(Chart.instances).forEach(function (key) {
      var chart = Chart.instances[key];
      if (chart && chart.canvas && !chart.canvas.isConnected) {
        try {
          chart.destroy();
        } catch (error) {
          // already gone
        }
      }
    });
  }

  ns.renderCharts = renderAll;

  function start() {
    renderAll(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  document.addEventListener("htmx:load", function (event) {
    renderAll(event.detail && event.detail.elt ? event.detail.elt : document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    sweepDetached();
    renderAll(event.detail && event.detail.target ? event.detail.target : document);
  });
  document.addEventListener("htmx:afterSettle", sweepDetached);
  // Same guard as app.js (kept here so charts.js also works alone): htmx must not copy the
  // style attribute Chart.js puts on a canvas onto its replacement while settling — a CSP violation.
  document.addEventListener("htmx:beforeRequest", function () {
    var config = window.htmx && window.htmx.config;
    if (config && Array.isArray(config.attributesToSettle)) {
      config.attributesToSettle = config.attributesToSettle.filter(function (name) {
        return String(name).toLowerCase() !== "style";
      });
    }
  });
  document.addEventListener("htmx:historyRestore", function () {
    sweepDetached();
    renderAll(document);
  });
})();
