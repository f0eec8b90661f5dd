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
    let parcels = null;
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
    function restyle() {
      if (!parcels) return;
      parcels.setStyle((f) => ({ color: "#333", weight: 1, fillColor: colorOf(f.properties), fillOpacity: 0.7 }));
    }
    fetch(box.dataset.parcels, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((data) => {
        parcels = L.geoJSON(data, {
          renderer: renderer,
          style: (f) => ({ color: "#333", weight: 1, fillColor: colorOf(f.properties), fillOpacity: 0.7 }),
          onEachFeature: (f, layer) => layer.bindPopup(() => popup(f.properties)),
        }).addTo(map);
        drawLegend(data.features);
        if (data.features.length) {
          let target = parcels.getBounds();
          const focus = box.dataset.focus;
          if (focus) {
            parcels.eachLayer((layer) => {
              if (layer.feature.properties.code === focus) { target = layer.getBounds(); layer.openPopup(); }
            });
          }
          map.fitBounds(target, { padding: [20, 20], maxZoom: box.dataset.map === "parcel" ? 17 : 16, animate: false });
        }
        box.dataset.loaded = String(data.features.length);
        if (status) status.textContent = "地块 " + data.features.length + " 宗";
      })
      .catch(() => { if (status) status.textContent = "地块数据加载失败，请刷新页面"; box.dataset.loaded = "error"; });

    document.querySelectorAll("input[name=color]").forEach((radio) => {
      radio.addEventListener("change", () => {
        colorBy = radio.value;
        restyle();
        if (parcels) drawLegend(parcels.toGeoJSON().features);
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
