// Visible-page time of a chapter (Page Visibility API): while the page is visible, a heartbeat
// reports the visible seconds since the previous one; a hidden tab reports nothing. The server
// credits at most the time its own clock saw pass between two beats.
(function () {
  "use strict";
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function init() {
    var root = document.getElementById("chapter");
    if (!root) return;
    var url = root.dataset.beatUrl, interval = Number(root.dataset.interval || 15) * 1000;
    var visibleSince = document.visibilityState === "visible" ? Date.now() : null, banked = 0;
    function collect() {
      if (visibleSince !== null) { banked += Date.now() - visibleSince; visibleSince = Date.now(); }
    }
    function beat() {
      collect();
      var seconds = Math.round(banked / 1000);
      if (!seconds) return;
      banked = 0;
      var body = new URLSearchParams({visible: String(seconds)});
      fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf()}, body: body})
        .catch(function () { banked += seconds * 1000; });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { visibleSince = Date.now(); }
      else { collect(); visibleSince = null; beat(); }
    });
    setInterval(beat, interval);
  }
  document.addEventListener("DOMContentLoaded", init);
})();
