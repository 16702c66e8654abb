/* The admin's map of a place (cms/place_picker.py): clicking it fills the latitude and the
   longitude fields of the same form; a place already entered shows as a marker, and typed
   numbers move it. Only on pages where a tile source is configured; without script the
   number fields alone remain. */
(function () {
  "use strict";
  if (!window.L) { return; }

  function number(input) {
    var value = parseFloat(input.value);
    return isNaN(value) ? null : value;
  }

  function picker(box) {
    var form = box.closest("form");
    var latitude = form.querySelector("input[data-place=latitude]");
    var longitude = form.querySelector("input[data-place=longitude]");
    if (!latitude || !longitude) { return; }
    box.hidden = false;
    var help = box.nextElementSibling;
    if (help && help.classList.contains("place-picker-help")) { help.hidden = false; }
    var marker = null;

    function show(lat, lng) {
      if (marker) { marker.setLatLng([lat, lng]); } else { marker = L.marker([lat, lng]).addTo(map); }
    }

    function place() {
      var lat = number(latitude);
      var lng = number(longitude);
      return lat !== null && lng !== null && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ?
        [lat, lng] : null;
    }

    function fromFields() {
      var known = place();
      if (known) { show(known[0], known[1]); }
    }

    // The first view is set when the map is made: moving it while the first tiles load would
    // make Leaflet blank them with a data: image, which the CSP (img-src 'self') refuses.
    var known = place();
    var map = L.map(box, {
      center: known || box.dataset.start.split(",").map(Number),
      zoom: known ? 14 : Number(box.dataset.zoom),
      maxZoom: 18
    });
    L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 18 })
      .addTo(map);
    map.attributionControl.setPrefix(false);
    fromFields();
    map.on("click", function (event) {
      var point = event.latlng.wrap();
      // Six decimals: the fields' precision (about 10 cm).
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      [latitude, longitude].forEach(function (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show(point.lat, point.lng);
    });
    latitude.addEventListener("change", fromFields);
    longitude.addEventListener("change", fromFields);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".place-picker").forEach(picker);
  });
}());
