// Draws every <div data-ward-map> as a choropleth of its wards: boundaries from the portal's own server, no map tiles.
// The colours are viridis (readable with every common colour-vision deficiency, and in grey); the table beside the map
// carries the same figures for screen readers and print.
(function () {
    'use strict';
    if (typeof L === 'undefined') { return; }
    var colours = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'];
    function classes(values) {
        var max = Math.max.apply(null, values.concat([0]));
        var step = Math.max(1, Math.ceil(max / colours.length));
        return colours.map(function (c, i) { return { from: i * step, to: i === colours.length - 1 ? max : (i + 1) * step - 1, colour: c }; });
    }
    function colourOf(value, bands) {
        for (var i = 0; i < bands.length; i++) { if (value <= bands[i].to) { return bands[i].colour; } }
        return bands[bands.length - 1].colour;
    }
    document.querySelectorAll('div[data-ward-map]').forEach(function (el) {
        var wards = JSON.parse(el.getAttribute('data-wards'));
        var bands = classes(Object.keys(wards).map(function (k) { return wards[k].value; }));
        fetch(el.getAttribute('data-boundaries'), { credentials: 'same-origin' })
            .then(function (r) { if (!r.ok) { throw new Error('boundaries: ' + r.status); } return r.json(); })
            .then(function (geo) {
                var map = L.map(el, { zoomControl: true, attributionControl: false, scrollWheelZoom: false, keyboard: false });
                var layer = L.geoJSON(geo, {
                    style: function (f) {
                        var w = wards[f.properties.code];
                        return { color: '#1b1b1b', weight: 1, fillOpacity: w ? 0.85 : 0.15, fillColor: w ? colourOf(w.value, bands) : '#ffffff' };
                    },
                    onEachFeature: function (f, l) {
                        var w = wards[f.properties.code];
                        l.bindTooltip(f.properties.name + ': ' + (w ? w.value.toLocaleString('en-GB') : 'no figure'));
                    }
                }).addTo(map);
                map.fitBounds(layer.getBounds());
                var legend = L.control({ position: 'topright' });
                legend.onAdd = function () {
                    var div = L.DomUtil.create('div', 'map-legend');
                    var title = L.DomUtil.create('p', 'map-legend-title', div);
                    title.textContent = el.getAttribute('data-title');
                    bands.forEach(function (b) {
                        var row = L.DomUtil.create('p', '', div);
                        var swatch = L.DomUtil.create('span', 'swatch', row);
                        swatch.style.backgroundColor = b.colour;
                        row.appendChild(document.createTextNode(b.from.toLocaleString('en-GB') + '–' + b.to.toLocaleString('en-GB')));
                    });
                    return div;
                };
                legend.addTo(map);
                el.setAttribute('data-map-drawn', String(layer.getLayers().length));
            })
            .catch(function (e) { el.setAttribute('data-map-error', String(e)); });
    });
})();
