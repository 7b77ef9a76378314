// Draws every <canvas data-chart="..."> from the typed configuration the server serialised.
(function () {
    'use strict';
    if (typeof Chart === 'undefined') { return; }
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
        try {
            var config = JSON.parse(canvas.getAttribute('data-chart'));
            var chart = new Chart(canvas, config);
            canvas.setAttribute('data-chart-drawn', 'true');
            canvas.chartInstance = chart;
        } catch (e) {
            canvas.setAttribute('data-chart-error', String(e));
        }
    });
})();
