/* lantu 一张蓝图: the interactive page. Plain script (no modules: they do not load from
 * file://), MapLibre GL JS from vendor/, data from data/*.js through window.LANTU. */
(function () {
  "use strict";
  var times = window.lantuTimes = { script: performance.now() };
  var L = window.LANTU;
  var meta = L.meta;
  var layers = L.layers;
  var params = new URLSearchParams(window.location.search);
  var lang = params.get("lang") === "en" || params.get("lang") === "zh" ? params.get("lang") : meta.lang;

  // every word the page shows comes from meta (the output registry and the page's words)
  function t(key) { return meta.words[key][lang]; }
  function head(code) { return meta.columns[code].short[lang]; }
  function label(code) { return meta.columns[code].full[lang]; }
  function kindName(k) { return lang === "zh" ? k.zh : k.en; }
  function fmt(x, d) {
    if (x === null || x === undefined || x === "") { return "–"; }
    return Number(x).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: d, minimumFractionDigits: d });
  }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
    });
  }

  var communities = (layers.communities || { features: [] }).features;
  var facilities = (layers.facilities || { features: [] }).features;
  var byCode = {};
  communities.forEach(function (f) { byCode[f.properties.community_code] = f; });
  var pilots = (layers.pilots || { features: [] }).features;
  var pilotByCode = {};
  pilots.forEach(function (f) { pilotByCode[f.properties.community_code] = f.properties; });

  // a label point and bounds per community (the largest ring's box)
  function bbox(geom) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    function walk(c) {
      if (typeof c[0] === "number") {
        if (c[0] < b[0]) { b[0] = c[0]; } if (c[1] < b[1]) { b[1] = c[1]; }
        if (c[0] > b[2]) { b[2] = c[0]; } if (c[1] > b[3]) { b[3] = c[1]; }
      } else { c.forEach(walk); }
    }
    walk(geom.coordinates);
    return b;
  }
  communities.forEach(function (f) { f.bbox = bbox(f.geometry); });
  var all = communities.reduce(function (b, f) {
    return [Math.min(b[0], f.bbox[0]), Math.min(b[1], f.bbox[1]), Math.max(b[2], f.bbox[2]), Math.max(b[3], f.bbox[3])];
  }, [Infinity, Infinity, -Infinity, -Infinity]);

  // --- header -------------------------------------------------------------------------
  document.getElementById("note").textContent = meta.note ? "【" + meta.note + "】" : "";
  var search = document.getElementById("search");
  var streetSelect = document.getElementById("street");
  var ruleSelect = document.getElementById("rule");
  var langButton = document.getElementById("lang");
  var streets = {};
  communities.forEach(function (f) {
    var p = f.properties;
    if (p.street_name) { streets[p.street_code || p.street_name] = p.street_name; }
  });
  function fillHeader() {
    search.placeholder = t("search");
    langButton.textContent = t("toggle");
    streetSelect.innerHTML = "<option value=\"\">" + esc(t("allStreets")) + "</option>" +
      Object.keys(streets).sort().map(function (c) { return "<option value=\"" + esc(c) + "\">" + esc(streets[c]) + "</option>"; }).join("");
    ruleSelect.innerHTML = [["", "allRules"], ["area", "failArea"], ["complex", "failComplex"], ["config", "failConfig"], ["any", "failAny"]]
      .map(function (o) { return "<option value=\"" + o[0] + "\">" + esc(t(o[1])) + "</option>"; }).join("");
  }
  langButton.addEventListener("click", function () {
    var q = new URLSearchParams(window.location.search);
    q.set("lang", lang === "zh" ? "en" : "zh");
    window.location.search = q.toString();
  });

  // --- the table ------------------------------------------------------------------------
  var columns = [
    ["priority_rank", 0], ["community_name", null], ["street_name", null], ["households", 0], ["area_gap_m2", 0],
    ["config_ok", null], ["uncovered_households", 0]
  ];
  var sortKey = "priority_rank", sortUp = true, selected = null;
  // the verdicts as the tables hold them: gap class 0 is the area rule met
  function failing(p, rule) {
    var area = p.gap_class > 0, complex = p.complex_meets_min === 0, config = p.config_ok === 0;
    return rule === "area" ? area : rule === "complex" ? complex : rule === "config" ? config : rule === "any" ? area || complex || config : true;
  }
  function visibleRows() {
    var q = search.value.trim().toLowerCase();
    var street = streetSelect.value, rule = ruleSelect.value;
    return communities.filter(function (f) {
      var p = f.properties;
      if (street && (p.street_code || p.street_name) !== street) { return false; }
      if (!failing(p, rule)) { return false; }
      return !q || String(p.community_name).toLowerCase().indexOf(q) >= 0 || String(p.community_code).toLowerCase().indexOf(q) >= 0;
    }).sort(function (a, b) {
      var x = a.properties[sortKey], y = b.properties[sortKey];
      var c = (x === null ? -Infinity : x) < (y === null ? -Infinity : y) ? -1 : (x === y ? 0 : 1);
      if (typeof x === "string" || typeof y === "string") { c = String(x).localeCompare(String(y), "zh"); }
      return sortUp ? c : -c;
    });
  }
  function renderTable() {
    var thead = document.querySelector("#table thead"), tbody = document.querySelector("#table tbody");
    thead.innerHTML = "<tr>" + columns.map(function (c) {
      return "<th data-key=\"" + c[0] + "\">" + esc(head(c[0])) + (c[0] === sortKey ? (sortUp ? " ▲" : " ▼") : "") + "</th>";
    }).join("") + "</tr>";
    tbody.innerHTML = visibleRows().map(function (f) {
      var p = f.properties;
      return "<tr data-code=\"" + esc(p.community_code) + "\"" + (p.community_code === selected ? " class=\"selected\"" : "") + ">" +
        columns.map(function (c) {
          var v = p[c[0]];
          if (c[0] === "config_ok") { return "<td>" + (v === 1 ? "✓" : "✗") + "</td>"; }
          // an estimated count is marked, as in the PDF and the DOCX; the note says how
          if (c[0] === "households" && p.households_estimated === 1) {
            return "<td class=\"num\" title=\"" + esc(t("estimated")) + "\">" + fmt(v, 0) + "*</td>";
          }
          return c[1] === null ? "<td>" + esc(v) + "</td>" : "<td class=\"num\">" + fmt(v, c[1]) + "</td>";
        }).join("") + "</tr>";
    }).join("");
  }
  document.querySelector("#table thead").addEventListener("click", function (e) {
    var key = e.target.closest("th") && e.target.closest("th").dataset.key;
    if (!key) { return; }
    if (key === sortKey) { sortUp = !sortUp; } else { sortKey = key; sortUp = true; }
    renderTable();
  });
  document.querySelector("#table tbody").addEventListener("click", function (e) {
    var row = e.target.closest("tr");
    if (row) { select(row.dataset.code, true); }
  });
  search.addEventListener("input", renderTable);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var rows = visibleRows(); if (rows.length) { select(rows[0].properties.community_code, true); } }
  });
  ruleSelect.addEventListener("change", renderTable);
  streetSelect.addEventListener("change", function () {
    renderTable();
    var members = communities.filter(function (f) { return !streetSelect.value || (f.properties.street_code || f.properties.street_name) === streetSelect.value; });
    if (members.length) { fitTo(members); }
  });

  // --- the panel ------------------------------------------------------------------------
  function pct(v) { return v === null || v === undefined ? "–" : Math.round(v * 100) + "%"; }
  function bar(v, colour) {
    return v === null || v === undefined ? "" : "<span class=\"bar\" style=\"width:" + Math.round(v * 60) + "px;background:" + colour + "\"></span>";
  }
  // a pilot's build (complex and 插花式 stations) and the people coverage it brings
  function pilotRows(q, row) {
    row(label("pilot_rank"), esc(q.pilot_rank));
    row(label("site_type"), esc(q.site_type) + (q.site_name ? esc(t("colon")) + esc(q.site_name) : ""));
    row(label("build"), esc(q.build));
    meta.kinds.forEach(function (k) {
      var before = "coverage_people_before_" + k.code, after = "coverage_people_after_" + k.code;
      if (!meta.columns[after] || q[after] === undefined) { return; }
      row(label(after), bar(q[before], "#bbbbbb") + pct(q[before]) + " → " + bar(q[after], k.colour) + "<b>" + pct(q[after]) + "</b>");
    });
  }
  function panelFor(p) {
    var rows = [];
    function row(k, v) { rows.push("<tr><td>" + esc(k) + "</td><td>" + v + "</td></tr>"); }
    var good = function (ok) { return "<span class=\"" + (ok ? "good" : "bad") + "\">" + esc(ok ? t("ok") : t("notOk")) + "</span>"; };
    row(label("community_code"), esc(p.community_code));
    row(label("street_name"), esc(p.street_name || ""));
    row(label("households"), fmt(p.households, 0) + (p.households_estimated ? esc(t("estimated")) : ""));
    row(label("area_per_100hh_m2"), fmt(p.area_per_100hh_m2, 2) + " / " + esc(label("area_standard_m2")) + " " + fmt(p.area_standard_m2, 0) +
      " " + good(p.gap_class === 0));
    row(label("facility_area_m2"), fmt(p.facility_area_m2, 1));
    row(label("area_required_m2"), fmt(p.area_required_m2, 1));
    row(label("area_gap_m2"), "<span class=\"" + (p.gap_class > 0 ? "bad" : "good") + "\">" + fmt(p.area_gap_m2, 1) + "</span>");
    row(label("largest_complex_m2"), fmt(p.largest_complex_m2, 0) + " " + (p.complex_meets_min ? esc(t("meetsMin")) : "<span class=\"bad\">" + esc(t("belowMin")) + "</span>"));
    var present = String(p.functions || "").split(";").filter(Boolean).map(function (code) {
      var k = meta.kinds.filter(function (k) { return k.code === code; })[0];
      return k ? kindName(k) : code;
    });
    row(t("functions"), p.functions_count + " " + esc(t("kindCount")) + (present.length ? esc(t("colon")) + esc(present.join(t("listSep"))) : ""));
    row(label("config_ok"), good(p.config_ok === 1) + (p.config_reason ? "<br>" + esc(p.config_reason) : ""));
    var cov = meta.kinds.map(function (k) {
      var v = p["coverage_" + k.code], a = p["coverage_accessible_" + k.code], pp = p["coverage_people_" + k.code];
      var acc = a === null || a === undefined ? "" : " (" + esc(t("barrierFree")) + " " + pct(a) + ")";
      // the share of the people the kind serves (the old, infants, children), where counted
      var people = pp === null || pp === undefined ? "" : " · " + pct(pp) + " " + esc(t("peopleShort"));
      return esc(kindName(k)) + " " + bar(v, k.colour) + pct(v) + " " + esc(t("householdsShort")) + people + acc;
    });
    row(t("coverage"), cov.join("<br>"));
    var groups = ["population", "people_elderly", "people_infants", "people_children"].filter(function (c) {
      return p[c] !== null && p[c] !== undefined;
    }).map(function (c) { return esc(label(c)) + " " + fmt(p[c], 0); });
    if (groups.length) { row(t("people"), groups.join("<br>") + (p.people_estimated ? esc(t("estimated")) : "")); }
    var places = meta.kinds.filter(function (k) { return meta.columns["places_per_1000_" + k.code]; }).map(function (k) {
      var v = p["places_per_1000_" + k.code], met = p["places_target_met_" + k.code];
      return esc(label("places_per_1000_" + k.code)) + " " + fmt(v, 2) + (met === 0 || met === 1 ? " " + good(met === 1) : "");
    });
    if (places.length) { row(t("places"), places.join("<br>")); }
    row(t("uncoveredHh"), fmt(p.uncovered_households, 0) +
      (p.uncovered_households_accessible !== null && p.uncovered_households_accessible !== undefined ? " (" + esc(t("barrierFree")) + " " + fmt(p.uncovered_households_accessible, 0) + ")" : ""));
    row(label("priority_rank"), p.priority_rank + " · " + esc(label("priority_score")) + " " + fmt(p.priority_score, 3));
    if (p.remarks) { row(label("remarks"), esc(p.remarks)); }
    var pilot = pilotByCode[p.community_code], pilotHtml = "";
    if (pilot) {
      var before = rows.length;
      pilotRows(pilot, row);
      pilotHtml = "<h3 class=\"pilot\">" + esc(t("pilotBuild")) + " <small>" + esc(t("beforeAfter")) + "</small></h3><table id=\"pilot\">" +
        rows.splice(before).join("") + "</table>";
    }
    return "<h2>" + esc(p.community_name) + (pilot ? " <span class=\"pilot-tag\">" + esc(t("pilot")) + " " + esc(pilot.pilot_rank) + "</span>" : "") +
      "</h2><table>" + rows.join("") + "</table>" + pilotHtml +
      "<p><button type=\"button\" id=\"close\">" + esc(t("close")) + "</button></p>";
  }

  // --- the map --------------------------------------------------------------------------
  var shownKinds = meta.kinds.map(function (k) { return k.code; });
  // the communities' fill: the area-gap class, or one kind's coverage by households or by people
  var colourBy = meta.columns[params.get("colour")] ? params.get("colour") : "";
  function communityFill() {
    if (!colourBy) { return gapColour; }
    return ["case", ["==", ["typeof", ["get", colourBy]], "number"],
      ["interpolate", ["linear"], ["get", colourBy], 0, "#d7301f", 0.5, "#fee08b", 1, "#1a9850"], "#c8c8c8"];
  }
  var coverageKind = "", coverageCircle = "", showUncovered = true;
  // the table and the panel work without the map (a browser without WebGL says so)
  var map;
  try {
    map = new maplibregl.Map({
      container: "map",
      style: { version: 8, sources: {}, layers: [{ id: "background", type: "background", paint: { "background-color": "#f3f2ee" } }] },
      bounds: [[all[0], all[1]], [all[2], all[3]]],
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      maxZoom: 19
    });
  } catch (e) {
    map = null;
    document.getElementById("map").innerHTML = "<p style=\"padding:2em\">" +
      esc(t("noWebgl")) + esc(e.message) + "</p>";
  }
  if (!map) {
    map = { on: function () {}, once: function () {}, getLayer: function () { return false; }, setFilter: function () {}, setPaintProperty: function () {},
      setLayoutProperty: function () {}, fitBounds: function () {}, resize: function () {} };
    fillHeader();
    renderTable();
    renderLegend();
    document.body.dataset.lantuReady = "communities=" + communities.length + ";facilities=" + facilities.length + ";map=none";
    window.lantuPage = { select: select, selected: function () { return selected; } };
    return;
  }
  map.addControl(new maplibregl.NavigationControl({ showCompass: true }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: "metric" }), "bottom-right");
  map.addControl(new maplibregl.AttributionControl({
    compact: false,
    customAttribution: esc(t("source")) + ": " + esc(meta.source) + " · " + esc(meta.date) + " · lantu"
  }), "bottom-right");

  function fitTo(features) {
    var b = features.reduce(function (b, f) {
      return [Math.min(b[0], f.bbox[0]), Math.min(b[1], f.bbox[1]), Math.max(b[2], f.bbox[2]), Math.max(b[3], f.bbox[3])];
    }, [Infinity, Infinity, -Infinity, -Infinity]);
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, maxZoom: 17, duration: 400 });
  }

  // the class the tables hold (gap_class), as QGIS and the PNG maps colour; grey without households
  var gapColour = ["match", ["coalesce", ["get", "gap_class"], -1]];
  meta.gap_classes.forEach(function (c, i) { gapColour.push(i, c.colour); });
  gapColour.push("#c8c8c8");
  var firstKind = ["slice", ["get", "kinds"], 0, ["index-of", ";", ["concat", ["get", "kinds"], ";"]]];
  var kindColour = ["match", firstKind];
  meta.kinds.forEach(function (k) { kindColour.push(k.code, k.colour); });
  kindColour.push("#777777");
  var coverageColour = ["match", ["get", "kind"]];
  meta.kinds.forEach(function (k) { coverageColour.push(k.code, k.colour); });
  coverageColour.push("#777777");


  function facilityFilter() {
    // a facility shows when any of its kinds (";a;b;") is ticked
    if (!shownKinds.length) { return ["==", ["get", "kinds"], "\u0000"]; }
    return ["any"].concat(shownKinds.map(function (code) {
      return [">=", ["index-of", ";" + code + ";", ["concat", ";", ["get", "kinds"], ";"]], 0];
    }));
  }
  function coverageFilter() {
    var f = ["all", ["==", ["get", "kind"], coverageKind || "\u0000"]];
    f.push(coverageCircle ? ["==", ["get", "circle"], coverageCircle] : ["==", ["get", "is_kind_circle"], 1]);
    return f;
  }

  // served by `lantu serve` (not from file://), the base layers too large for the page
  // (a city's buildings and walkways) come as vector tiles; ?tiles=1 prefers them always
  var served = { tiles: {} };
  var preferTiles = params.get("tiles") === "1";
  function tiled(name) {
    return served && served.tiles[name] && (preferTiles || (!layers[name] && meta.left_out.indexOf(name) >= 0));
  }
  function source(name) {
    if (!map.getSource(name)) {
      if (tiled(name)) {
        map.addSource(name, { type: "vector", tiles: [window.location.origin + served.tiles[name]], minzoom: served.minzoom, maxzoom: 20 });
      } else if (layers[name]) {
        map.addSource(name, { type: "geojson", data: layers[name] });
      } else {
        return false;
      }
    }
    return true;
  }
  function askServer() {
    if (!/^https?:$/.test(window.location.protocol) || !window.fetch) { return; }
    fetch("served.json").then(function (r) { return r.ok ? r.json() : null; }).then(function (s) {
      if (!s || !s.tiles) { return; }
      served = s;
      ensureLayers();
      renderLegend();
    }).catch(function () { /* a plain web server: the page as from file:// */ });
  }

  // every map layer, bottom to top, with the data it needs; added as soon as its data is
  // there (the large ones arrive after the first view)
  var many = (meta.counts && meta.counts.facilities) > 20000;
  var MAP_LAYERS = [
    ["buildings", "buildings", function () {
      return { type: "fill", minzoom: 14, paint: { "fill-color": ["case", ["==", ["get", "residential"], 1], "#d3cfe0", "#dcdcd8"], "fill-outline-color": "#b8b8b8" } };
    }],
    ["network", "network", function () {
      return { type: "line", minzoom: 13, paint: { "line-color": ["case", ["==", ["get", "steps"], 1], "#c86060", "#9a9a9a"], "line-width": 0.8 } };
    }],
    ["communities", "communities", function () {
      return { type: "fill", paint: { "fill-color": communityFill(), "fill-opacity": 0.55 } };
    }],
    ["communities-outline", "communities", function () { return { type: "line", paint: { "line-color": "#666", "line-width": 0.7 } }; }],
    ["coverage", "coverage_areas", function () {
      return { type: "fill", filter: coverageFilter(), paint: { "fill-color": coverageColour, "fill-opacity": 0.35 } };
    }],
    ["uncovered", "uncovered_core", function () {
      return { type: "fill", layout: { visibility: showUncovered && !coverageKind ? "visible" : "none" }, paint: { "fill-color": "#c80000", "fill-opacity": 0.55 } };
    }],
    ["uncovered-kind", "uncovered_kinds", function () {
      return { type: "fill", filter: ["==", ["get", "kind"], coverageKind || "\u0000"], layout: { visibility: showUncovered ? "visible" : "none" },
        paint: { "fill-color": "#c80000", "fill-opacity": 0.55 } };
    }],
    ["streets", "streets", function () { return { type: "line", paint: { "line-color": "#111", "line-width": 2.2 } }; }],
    ["pilots", "pilots", function () {
      return { type: "line", paint: { "line-color": "#7b2cbf", "line-width": 3, "line-dasharray": [2, 1] } };
    }],
    ["selected", "communities", function () {
      return { type: "line", filter: ["==", ["get", "community_code"], selected || "\u0000"], paint: { "line-color": "#0044ff", "line-width": 3.5 } };
    }],
    ["facilities", "facilities", function () {
      // a city's tens of thousands of facilities are dots on a street's map, not the city's
      return { type: "circle", minzoom: many ? 12 : 0, filter: facilityFilter(), paint: {
        "circle-color": kindColour, "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 1.5, 15, 4.5], "circle-stroke-color": "#fff", "circle-stroke-width": 0.6 } };
    }],
    ["candidates", "candidates", function () {
      return { type: "circle", paint: {
        "circle-color": ["case", ["==", ["get", "site_rank"], null], "#9a9a9a", "#e06000"],
        "circle-radius": ["case", ["==", ["get", "site_rank"], null], 3, 7], "circle-stroke-color": "#fff", "circle-stroke-width": 1 } };
    }]
  ];
  function ensureLayers() {
    MAP_LAYERS.forEach(function (spec, i) {
      var id = spec[0];
      if (map.getLayer(id) || !source(spec[1])) { return; }
      var above = MAP_LAYERS.slice(i + 1).map(function (s) { return s[0]; }).filter(function (x) { return map.getLayer(x); })[0];
      var layer = spec[2]();
      layer.id = id;
      layer.source = spec[1];
      if (map.getSource(spec[1]).type === "vector") { layer["source-layer"] = spec[1]; }
      map.addLayer(layer, above);
    });
  }
  function loadDeferred() {
    (meta.deferred || []).filter(function (name) { return !tiled(name); }).forEach(function (name) {
      var s = document.createElement("script");
      s.src = "data/" + name + ".js";
      s.onload = function () {
        ensureLayers();
        if (name === "candidates") { sites = candidateSites(); drawLabels(); }
        if (name === "coverage_areas") { renderLegend(); }
      };
      document.body.appendChild(s);
    });
  }

  // labels as HTML over the map: no glyph server is needed, and Chinese comes from the
  // browser's own fonts
  document.getElementById("map").appendChild(document.getElementById("north"));
  var labels = document.createElement("div");
  labels.id = "labels";
  document.getElementById("map").appendChild(labels);
  function candidateSites() {
    return layers.candidates ? layers.candidates.features.filter(function (f) { return f.properties.site_rank !== null; }) : [];
  }
  var sites = candidateSites();
  function drawLabels() {
    var b = map.getBounds(), html = [];
    var inView = communities.filter(function (f) {
      return f.bbox[2] >= b.getWest() && f.bbox[0] <= b.getEast() && f.bbox[3] >= b.getSouth() && f.bbox[1] <= b.getNorth();
    });
    if (inView.length <= 250) {
      inView.forEach(function (f) {
        var pt = map.project([(f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2]);
        html.push("<div class=\"lantu-label\" style=\"left:" + pt.x + "px;top:" + pt.y + "px\">" + esc(f.properties.community_name) + "</div>");
      });
    }
    pilots.forEach(function (f) {
      var c = byCode[f.properties.community_code];
      if (!c) { return; }
      var pt = map.project([(c.bbox[0] + c.bbox[2]) / 2, c.bbox[3]]);
      html.push("<div class=\"lantu-pilot\" style=\"left:" + pt.x + "px;top:" + pt.y + "px\">" + esc(t("pilot")) + " " + f.properties.pilot_rank + "</div>");
    });
    sites.forEach(function (f) {
      var pt = map.project(f.geometry.coordinates);
      html.push("<div class=\"lantu-rank\" style=\"left:" + pt.x + "px;top:" + pt.y + "px\">" + f.properties.site_rank + "</div>");
    });
    labels.innerHTML = html.join("");
  }

  function renderLegend() {
    var h = [];
    var options = [["", t("byGap")]];
    meta.kinds.forEach(function (k) {
      options.push(["coverage_" + k.code, kindName(k) + " · " + t("byHouseholds")]);
      if (meta.columns["coverage_people_" + k.code]) { options.push(["coverage_people_" + k.code, kindName(k) + " · " + t("byPeople")]); }
    });
    h.push("<h3>" + esc(t("colourBy")) + "</h3><select id=\"colour-by\">" + options.map(function (o) {
      return "<option value=\"" + esc(o[0]) + "\"" + (o[0] === colourBy ? " selected" : "") + ">" + esc(o[1]) + "</option>";
    }).join("") + "</select>");
    if (!colourBy) {
      h.push("<h3>" + esc(t("gapLegend")) + "</h3>");
      meta.gap_classes.forEach(function (c) { h.push("<div><span class=\"sw\" style=\"background:" + c.colour + "\"></span>" + esc(lang === "zh" ? c.zh : c.en) + "</div>"); });
      h.push("<div><span class=\"sw\" style=\"background:#c8c8c8\"></span>" + esc(t("noHouseholds")) + "</div>");
    } else {
      h.push("<h3>" + esc(label(colourBy)) + "</h3><div class=\"ramp\"><span>0%</span><span>50%</span><span>100%</span></div>");
    }
    if (pilots.length) { h.push("<div><span class=\"sw\" style=\"border:2px dashed #7b2cbf;background:none\"></span>" + esc(t("pilots")) + "</div>"); }
    h.push("<div><span class=\"sw\" style=\"background:#111;height:3px\"></span>" + esc(t("streets")) + "</div>");
    h.push("<h3>" + esc(t("facilities")) + "</h3>");
    meta.kinds.forEach(function (k) {
      h.push("<label><input type=\"checkbox\" data-kind=\"" + esc(k.code) + "\"" + (shownKinds.indexOf(k.code) >= 0 ? " checked" : "") +
        "><span class=\"dot\" style=\"background:" + k.colour + "\"></span>" + esc(kindName(k)) + "</label>");
    });
    h.push("<h3>" + esc(t("coverageOf")) + "</h3><select id=\"coverage-kind\"><option value=\"\">" + esc(t("none")) + "</option>" +
      meta.kinds.map(function (k) { return "<option value=\"" + esc(k.code) + "\"" + (k.code === coverageKind ? " selected" : "") + ">" + esc(kindName(k)) + "（" + k.radius_m + " m）</option>"; }).join("") +
      "</select>");
    var circles = layers.coverage_areas ? Array.from(new Set(layers.coverage_areas.features.map(function (f) { return f.properties.circle; }))) : [];
    h.push(" <select id=\"coverage-circle\"><option value=\"\">" + esc(t("ownCircle")) + "</option>" +
      circles.map(function (c) { return "<option" + (c === coverageCircle ? " selected" : "") + ">" + esc(c) + "</option>"; }).join("") + "</select>");
    h.push("<label><input type=\"checkbox\" id=\"uncovered-toggle\"" + (showUncovered ? " checked" : "") + "><span class=\"sw\" style=\"background:#c80000\"></span>" + esc(t("uncoveredLayer")) + "</label>");
    if (layers.candidates) {
      h.push("<h3>" + esc(t("sites")) + "</h3><div><span class=\"dot\" style=\"background:#e06000\"></span>" + esc(t("recommended")) + "</div>" +
        "<div><span class=\"dot\" style=\"background:#9a9a9a\"></span>" + esc(t("otherSites")) + "</div>");
    }
    h.push("<h3>" + esc(t("base")) + "</h3>");
    var deferred = meta.deferred || [];
    if (deferred.indexOf("buildings") >= 0 && !tiled("buildings")) { h.push("<div><span class=\"sw\" style=\"background:#d3cfe0\"></span>" + esc(t("buildings")) + "</div>"); }
    if (deferred.indexOf("network") >= 0 && !tiled("network")) { h.push("<div><span class=\"sw\" style=\"background:#9a9a9a;height:2px\"></span>" + esc(t("network")) + "</div>"); }
    ["buildings", "network"].filter(tiled).forEach(function (name) {
      h.push("<div><span class=\"sw\" style=\"background:" + (name === "buildings" ? "#d3cfe0" : "#9a9a9a;height:2px") + "\"></span>" + esc(t(name)) + esc(t("fromTiles")) + "</div>");
    });
    var notShown = meta.left_out.filter(function (name) { return !tiled(name); });
    if (notShown.length) { h.push("<div class=\"src\">" + esc(t("leftOut")) + esc(notShown.join(", ")) + "</div>"); }
    var colon = esc(t("colon"));
    h.push("<div class=\"src\">" + esc(t("source")) + colon + esc(meta.source) + "<br>" + esc(t("crs")) + colon + esc(meta.crs) +
      " · " + esc(t("metric")) + colon + esc(meta.metric) + "<br>" + esc(t("date")) + colon + esc(meta.date) + "</div>");
    var legend = document.getElementById("legend");
    document.getElementById("legendtitle").textContent = t("legend");
    legend.innerHTML = h.join("");
    legend.querySelectorAll("input[data-kind]").forEach(function (box) {
      box.addEventListener("change", function () {
        shownKinds = Array.from(legend.querySelectorAll("input[data-kind]:checked")).map(function (b) { return b.dataset.kind; });
        if (map.getLayer("facilities")) { map.setFilter("facilities", facilityFilter()); }
      });
    });
    legend.querySelector("#colour-by").addEventListener("change", function (e) {
      colourBy = e.target.value;
      if (map.getLayer("communities")) { map.setPaintProperty("communities", "fill-color", communityFill()); }
      renderLegend();
    });
    legend.querySelector("#coverage-kind").addEventListener("change", function (e) {
      coverageKind = e.target.value;
      if (map.getLayer("coverage")) { map.setFilter("coverage", coverageFilter()); }
      // the homes beyond the picked kind's circle instead of those with no core service
      if (map.getLayer("uncovered")) { map.setLayoutProperty("uncovered", "visibility", showUncovered && !coverageKind ? "visible" : "none"); }
      if (map.getLayer("uncovered-kind")) { map.setFilter("uncovered-kind", ["==", ["get", "kind"], coverageKind || "\u0000"]); }
    });
    legend.querySelector("#coverage-circle").addEventListener("change", function (e) {
      coverageCircle = e.target.value;
      if (map.getLayer("coverage")) { map.setFilter("coverage", coverageFilter()); }
    });
    legend.querySelector("#uncovered-toggle").addEventListener("change", function (e) {
      showUncovered = e.target.checked;
      if (map.getLayer("uncovered")) { map.setLayoutProperty("uncovered", "visibility", showUncovered && !coverageKind ? "visible" : "none"); }
      if (map.getLayer("uncovered-kind")) { map.setLayoutProperty("uncovered-kind", "visibility", showUncovered ? "visible" : "none"); }
    });
  }

  function select(code, zoom) {
    var f = byCode[code];
    selected = f ? code : null;
    if (map.getLayer("selected")) { map.setFilter("selected", ["==", ["get", "community_code"], selected || "\u0000"]); }
    var panel = document.getElementById("panel");
    if (!f) { panel.hidden = true; renderTable(); return; }
    panel.innerHTML = panelFor(f.properties);
    panel.hidden = false;
    panel.querySelector("#close").addEventListener("click", function () { select(null); });
    renderTable();
    var row = document.querySelector("#table tr[data-code=\"" + CSS.escape(code) + "\"]");
    if (row) { row.scrollIntoView({ block: "nearest" }); }
    if (zoom) { fitTo([f]); }
    map.resize();
  }

  fillHeader();
  renderTable();
  renderLegend();
  map.on("load", function () {
    times.load = performance.now();
    ensureLayers();
    askServer();
    map.on("click", "communities", function (e) {
      if (e.features && e.features.length) { select(e.features[0].properties.community_code, false); }
    });
    map.on("mouseenter", "communities", function () { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", "communities", function () { map.getCanvas().style.cursor = ""; });
    map.on("move", drawLabels);
    drawLabels();
    map.once("idle", function () {
      times.idle = performance.now();
      // the counts of what the page holds (large layers follow the first view)
      var counts = meta.counts || {};
      document.body.dataset.lantuReady = "communities=" + (counts.communities || communities.length) +
        ";facilities=" + (counts.facilities !== undefined ? counts.facilities : facilities.length);
      loadDeferred();
    });
  });

  // for tests and for linking: the screen point of a community, and the selection
  window.lantuPage = {
    map: map,
    pointOf: function (code) {
      var f = byCode[code];
      if (!f) { return null; }
      var b = f.bbox, r = map.getCanvas().getBoundingClientRect();
      for (var i = 1; i < 8; i++) {
        for (var j = 1; j < 8; j++) {
          var pt = map.project([b[0] + (b[2] - b[0]) * i / 8, b[1] + (b[3] - b[1]) * j / 8]);
          var hit = map.queryRenderedFeatures([pt.x, pt.y], { layers: ["communities"] });
          var x = pt.x + r.left, y = pt.y + r.top;
          // not under the legend or a control
          if (hit.length && hit[0].properties.community_code === code && document.elementFromPoint(x, y) === map.getCanvas()) {
            return { x: x, y: y };
          }
        }
      }
      return null;
    },
    selected: function () { return selected; },
    select: select,
    colourBy: function (code) {
      var box = document.getElementById("colour-by");
      box.value = code;
      box.dispatchEvent(new Event("change"));
    },
    pilots: function () { return pilots.length; },
    // what the map draws of a layer now (the served city's buildings among them)
    drawn: function (id) { return map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : 0; },
    tiled: function (name) { return !!tiled(name); }
  };
  var initial = params.get("community");
  if (initial) { map.once("idle", function () { select(initial, true); }); }
})();
