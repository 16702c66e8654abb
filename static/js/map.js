/* The map of /map/: the places of the list below, clustered, each with a popup that links to
   its page. Tiles only where the page names a source (DJANGO_MAP_TILE_URL); otherwise a plain
   background with a scale and a note. Without this script the list alone remains. */
(function () {
  "use strict";
  var box = document.getElementById("map-canvas");
  if (!box || !window.L || !window.fetch) { return; }
  box.hidden = false;
  var note = document.getElementById("map-note");
  // maxZoom on the map itself: the marker clusters need it, and without tiles no layer sets it.
  var map = L.map(box, { scrollWheelZoom: false, center: [56.48, 84.95], zoom: 9, maxZoom: 18 });
  var tiles = null;
  if (box.dataset.tileUrl) {
    tiles = L.tileLayer(box.dataset.tileUrl, {
      attribution: box.dataset.tileAttribution, maxZoom: 18
    });
    if (note) { note.hidden = true; }
  } else {
    box.classList.add("map-canvas--plain");
    if (note) { note.textContent = box.dataset.noTiles; }
  }
  map.attributionControl.setPrefix(false);
  L.control.scale({ imperial: false }).addTo(map);

  function popup(properties) {
    var wrap = document.createElement("div");
    var kind = document.createElement("p");
    kind.className = "map-popup-kind";
    kind.textContent = properties.kind_label;
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    wrap.appendChild(kind);
    wrap.appendChild(link);
    if (properties.address) {
      var where = document.createElement("p");
      where.textContent = properties.address;
      wrap.appendChild(where);
    }
    return wrap;
  }

  // Tiles once the view is set: moving the map while its first tiles load makes Leaflet
  // blank them with a data: image, which the CSP (img-src 'self' and the tile host) refuses.
  function addTiles() {
    if (tiles && !map.hasLayer(tiles)) { tiles.addTo(map); }
  }

  fetch(box.dataset.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var group = L.markerClusterGroup({ showCoverageOnHover: false });
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, {
            title: feature.properties.name,
            icon: L.divIcon({
              className: "map-pin map-pin--" + feature.properties.kind,
              iconSize: [18, 18]
            })
          });
        },
        onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
      });
      group.addLayer(layer);
      map.addLayer(group);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [24, 24], animate: false });
      }
      addTiles();
    })
    .catch(addTiles);
}());
