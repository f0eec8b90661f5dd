/* landreserve — 一张图: parcels from GeoJSON (lon/lat) drawn on a canvas, coloured by state or land use,
   popups linking to the parcel page, switchable constraint layers, a legend, a configurable basemap.
   No inline script (CSP): everything comes from the #map element's data-* attributes. */
"use strict";
(function () {
  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }
  function ha(m2) {
    const n = Number(m2);
    return Number.isFinite(n) ? (n / 10000).toFixed(4) + " 公顷（" + (n * 0.0015).toFixed(2) + " 亩）" : "—";
  }
  function start() {
    const box = document.getElementById("map");
    if (!box || typeof L === "undefined") return;
    const style = JSON.parse(box.dataset.style);
    const base = JSON.parse(box.dataset.basemap);
    const status = document.getElementById("map-status");
    const legend = document.getElementById("legend");
    let colorBy = box.dataset.color || "state";
    const map = L.map(box, { preferCanvas: true, zoomControl: true, attributionControl: base.kind !== "none" });
    map.setView(base.center, 13);
    (base.layers || []).forEach((layer) => {
      L.tileLayer(layer.url, { subdomains: layer.subdomains || "abc", maxZoom: 18, attribution: layer.attribution }).addTo(map);
    });
    L.control.scale({ imperial: false }).addTo(map);
    const renderer = L.canvas({ padding: 0.3 });

    function colorOf(props) {
      if (colorBy === "use") return style.use[props.land_use] || style.use_fallback;
      return style.state[props.state] || style.state.unregistered;
    }
    function popup(props) {
      const div = el("div", null, { class: "popup" });
      const title = el("strong", props.code);
      if (box.dataset.link) {
        const a = el("a", props.code, { href: box.dataset.link + encodeURIComponent(props.code) });
        div.appendChild(a);
      } else {
        div.appendChild(title);
      }
      [["坐落", props.location || "—"], ["面积", ha(props.area_m2)], ["用途", props.land_use || "—"],
       ["状态", props.state_label || "—"]].forEach(([k, v]) => {
        div.appendChild(el("div", k + "：" + v));
      });
      return div;
    }
    function drawLegend(features) {
      if (!legend) return;
      legend.replaceChildren();
      const seen = new Map();
      features.forEach((f) => {
        const p = f.properties;
        const key = colorBy === "use" ? p.land_use : p.state;
        const label = colorBy === "use" ? p.land_use : (style.state_names[p.state] || p.state_label);
        const entry = seen.get(key) || { label: label, color: colorOf(p), count: 0 };
        entry.count += 1;
        seen.set(key, entry);
      });
      seen.forEach((entry) => {
        const row = el("div", null, { class: "legend-item" });
        const swatch = el("span", null, { class: "swatch" });
        swatch.style.background = entry.color;
        row.appendChild(swatch);
        row.appendChild(el("span", entry.label + "（" + entry.count + " 宗）"));
        legend.appendChild(row);
      });
    }
    function featureStyle(f) {
      return { color: "#333", weight: 1, fillColor: colorOf(f.properties), fillOpacity: 0.7 };
    }
    const focus = box.dataset.focus;
    // parcel code → {layer, feature, zoom}: a new view adds what came into it and drops what left it; a parcel
    // kept from a view of the same zoom level is not drawn again, and one with its popup open stays.
    const parcels = L.featureGroup().addTo(map);
    const drawn = new Map();
    function draw(feature, zoom) {
      const layer = L.geoJSON(feature, {
        renderer: renderer,
        style: featureStyle,
        onEachFeature: (f, part) => part.bindPopup(() => popup(f.properties)),
      });
      parcels.addLayer(layer);
      drawn.set(feature.properties.code, { layer: layer, feature: feature, zoom: zoom });
    }
    function isOpen(entry) {
      let open = false;
      entry.layer.eachLayer((part) => { open = open || part.isPopupOpen(); });
      return open;
    }
    function show(features, zoom) {
      const wanted = new Set();
      features.forEach((f) => {
        const code = f.properties.code;
        wanted.add(code);
        const had = drawn.get(code);
        if (had && (had.zoom === zoom || isOpen(had))) return;
        if (had) parcels.removeLayer(had.layer);
        draw(f, zoom);
      });
      drawn.forEach((entry, code) => {
        if (!wanted.has(code) && !isOpen(entry)) { parcels.removeLayer(entry.layer); drawn.delete(code); }
      });
    }
    function restyle() { parcels.setStyle(featureStyle); }
    function shown() { return Array.from(drawn.values(), (entry) => entry.feature); }
    function failed() {
      if (status) status.textContent = "地块数据加载失败，请刷新页面";
      box.dataset.loaded = "error";
    }
    function bounds(b) { return b ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : null; }

    // A parcel's own small map: its one boundary, once.
    if (box.dataset.map === "parcel") {
      fetch(box.dataset.parcels, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then((data) => {
          show(data.features, null);
          drawLegend(data.features);
          if (data.features.length) map.fitBounds(parcels.getBounds(), { padding: [20, 20], maxZoom: 17, animate: false });
          box.dataset.loaded = String(data.features.length);
          if (status) status.textContent = "地块 " + data.features.length + " 宗";
        })
        .catch(failed);
    } else {
      // The county map: only what is in view (a little beyond), at most LIMIT parcels, simplified to the zoom
      // level by the server; loaded again when the view has stopped moving, the previous request abandoned.
      const LIMIT = 3000;
      const DEBOUNCE_MS = 250;
      let timer = null;
      let inFlight = null;
      let moving = false;
      let loads = 0;
      let asked = 0;
      const extent = JSON.parse(box.dataset.extent || "null") || {};
      const target = bounds(extent.focus) || bounds(extent.all);
      if (target) map.fitBounds(target, { padding: [20, 20], maxZoom: extent.focus ? 17 : 16, animate: false });
      const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v)).toFixed(6);
      function load() {
        const view = map.getBounds().pad(0.2);
        const url = new URL(box.dataset.parcels, window.location.href);
        const bbox = [clamp(view.getWest(), -180, 180), clamp(view.getSouth(), -90, 90),
          clamp(view.getEast(), -180, 180), clamp(view.getNorth(), -90, 90)].join(",");
        url.searchParams.set("bbox", bbox);
        const zoom = Math.max(0, Math.min(22, Math.round(map.getZoom())));
        url.searchParams.set("zoom", String(zoom));
        url.searchParams.set("limit", String(LIMIT));
        if (inFlight) inFlight.abort();
        const mine = new AbortController();
        inFlight = mine;
        asked += 1;
        box.dataset.requests = String(asked);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" }, signal: mine.signal })
          .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then((data) => {
            if (inFlight !== mine) return;
            inFlight = null;
            show(data.features, zoom);
            drawLegend(data.features);
            const total = data.total === undefined ? data.features.length : data.total;
            loads += 1;
            box.dataset.loaded = String(data.features.length);
            box.dataset.total = String(total);
            box.dataset.drawn = String(drawn.size);
            box.dataset.zoom = String(zoom);
            box.dataset.bbox = bbox;
            box.dataset.loads = String(loads);
            if (focus && loads === 1 && drawn.has(focus)) {
              drawn.get(focus).layer.eachLayer((part) => part.openPopup());
            }
            if (status) {
              status.textContent = "视野内地块 " + total + " 宗" + (total > data.features.length
                ? "，显示面积最大的 " + data.features.length + " 宗（放大可看全部）" : "");
            }
            settle();
          })
          .catch((e) => {
            if (e.name === "AbortError") return;
            if (inFlight === mine) inFlight = null;
            failed();
            settle();
          });
        settle();
      }
      // data-idle="1": the view is not moving and no load is waiting or in flight, so what is drawn is the
      // view's own (the state tests wait for; a popup that pans the map into view moves it too)
      function settle() { box.dataset.idle = !moving && timer === null && inFlight === null ? "1" : "0"; }
      map.on("movestart", () => { moving = true; settle(); });
      map.on("moveend", () => {
        moving = false;
        clearTimeout(timer);
        timer = setTimeout(() => { timer = null; load(); }, DEBOUNCE_MS);
        settle();
      });
      load();
    }

    document.querySelectorAll("input[name=color]").forEach((radio) => {
      radio.addEventListener("change", () => {
        colorBy = radio.value;
        restyle();
        drawLegend(shown());
      });
    });
    const loaded = {};
    document.querySelectorAll("input.layer-switch").forEach((box2) => {
      box2.addEventListener("change", () => {
        const id = box2.value;
        if (!box2.checked) { if (loaded[id]) map.removeLayer(loaded[id]); return; }
        if (loaded[id]) { loaded[id].addTo(map); return; }
        fetch(box.dataset.layers + id + ".geojson", { credentials: "same-origin" })
          .then((r) => r.json())
          .then((data) => {
            const color = style.layer[box2.dataset.rule] || "#333";
            loaded[id] = L.geoJSON(data, {
              renderer: renderer,
              style: { color: color, weight: 2, dashArray: "6 4", fillColor: color, fillOpacity: 0.12 },
              onEachFeature: (f, layer) => layer.bindTooltip(box2.dataset.name + (f.properties.label ? "：" + f.properties.label : "")),
            }).addTo(map);
            loaded[id].bringToBack();
            box.dataset.layersShown = String(Object.keys(loaded).length);
          });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
