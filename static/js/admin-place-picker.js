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
    var start = box.dataset.start.split(",").map(Number);
    var map = L.map(box, { center: start, zoom: Number(box.dataset.zoom), maxZoom: 18 });
    L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 18 })
      .addTo(map);
    map.attributionControl.setPrefix(false);
    var marker = null;

    function show(lat, lng) {
      if (marker) { marker.setLatLng([lat, lng]); } else { marker = L.marker([lat, lng]).addTo(map); }
    }

    function fromFields() {
      var lat = number(latitude);
      var lng = number(longitude);
      if (lat !== null && lng !== null && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        show(lat, lng);
        return [lat, lng];
      }
      return null;
    }

    var known = fromFields();
    if (known) { map.setView(known, 14); }
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
