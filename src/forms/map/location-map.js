/*
 * The location field's map (ADR 0020), a progressive enhancement: served only when a tile server
 * is configured, and only on a page with a location field. Without it — no JavaScript, no tiles,
 * no pointer — the address, description and coordinate inputs are the whole field. The map sets
 * the coordinate inputs (click, or drag the marker; the marker is keyboard-movable too) and follows
 * what is typed in them; it never holds an answer of its own. Leaflet is loaded before this file.
 */
(function () {
  'use strict';
  var L = window.L;
  if (!L) return;
  var sv = document.documentElement.lang === 'sv';
  var parse = function (v) {
    var n = Number(String(v).replace(/\s/g, '').replace(',', '.'));
    return v !== '' && isFinite(n) ? n : null;
  };
  var format = function (n) {
    var s = n.toFixed(5);
    return sv ? s.replace('.', ',') : s;
  };
  document.querySelectorAll('[data-location-map][data-tiles]').forEach(function (el) {
    var name = el.getAttribute('data-location-map');
    var lat = document.querySelector('input[name="' + name + '.lat"]');
    var lng = document.querySelector('input[name="' + name + '.lng"]');
    if (!lat || !lng) return;
    el.hidden = false;
    var map = L.map(el, { keyboard: true });
    L.tileLayer(el.getAttribute('data-tiles'), { attribution: el.getAttribute('data-attribution'), maxZoom: 19 }).addTo(map);
    var b = (el.getAttribute('data-bounds') || '').split(',').map(Number);
    var bounds = b.length === 4 && b.every(isFinite) ? L.latLngBounds([b[0], b[1]], [b[2], b[3]]) : null;
    if (bounds) map.fitBounds(bounds);
    else map.setView([62, 15], 5);
    var marker = null;
    var write = function (ll) {
      lat.value = format(ll.lat);
      lng.value = format(ll.lng);
    };
    var place = function (ll) {
      if (marker) return marker.setLatLng(ll);
      marker = L.marker(ll, { draggable: true, keyboard: true, title: el.getAttribute('data-label') || '' }).addTo(map);
      marker.on('dragend', function () {
        write(marker.getLatLng());
      });
    };
    map.on('click', function (e) {
      write(e.latlng);
      place(e.latlng);
    });
    var fromInputs = function () {
      var la = parse(lat.value);
      var ln = parse(lng.value);
      if (la === null || ln === null) return;
      place([la, ln]);
      map.setView([la, ln], Math.max(map.getZoom(), 15));
    };
    lat.addEventListener('change', fromInputs);
    lng.addEventListener('change', fromInputs);
    fromInputs();
  });
})();
