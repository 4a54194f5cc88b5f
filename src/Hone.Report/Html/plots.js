// Draws every figure embedded as <script type="application/json" data-plot="element id">.
(function () {
  var config = { responsive: true, displaylogo: false };
  document.querySelectorAll('script[type="application/json"][data-plot]').forEach(function (node) {
    var figure = JSON.parse(node.textContent);
    var element = document.getElementById(node.getAttribute('data-plot'));
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.setAttribute('data-rendered', 'true');
    });
  });
})();
