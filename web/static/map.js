// The tiled map of a campaign, drawn from the page's own list of places (#places) on the
// city's PMTiles archive, served by this site: no request leaves it. Without this script the
// list and the plan drawing are the map.
(function () {
  function draw() {
    var box = document.getElementById("map");
    var list = document.querySelectorAll("#places li[data-lat]");
    if (!box || !list.length || !window.L || !window.protomapsL) return;
    var map = L.map(box, { zoomControl: true, maxZoom: Number(box.dataset.maxZoom) || 15 });
    map.attributionControl.setPrefix(false);
    var layer = protomapsL.leafletLayer({
      url: box.dataset.tiles,
      flavor: "light",
      lang: box.dataset.lang || "fr",
      maxDataZoom: Number(box.dataset.maxZoom) || 15,
      attribution: '<a href="https://www.openstreetmap.org/copyright">' + box.dataset.attribution + "</a>"
    });
    layer.addTo(map);
    var points = [];
    list.forEach(function (item) {
      var point = [Number(item.dataset.lat), Number(item.dataset.lon)];
      points.push(point);
      var done = item.dataset.state === "done";
      var title = item.querySelector(".place-title");
      L.circleMarker(point, {
        radius: 11, weight: 3, color: "#0b5d4b", fillColor: done ? "#0b5d4b" : "#ffffff", fillOpacity: 1
      }).bindTooltip(item.dataset.number + ". " + (title ? title.textContent : ""), { permanent: false })
        .addTo(map);
    });
    if (points.length > 1) {
      L.polyline(points, { color: "#0b5d4b", weight: 3, dashArray: "6 5" }).addTo(map);
      map.fitBounds(points, { padding: [24, 24] });
    } else {
      map.setView(points[0], Math.min(16, Number(box.dataset.maxZoom) || 15));
    }
    document.body.classList.add("map-drawn");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
