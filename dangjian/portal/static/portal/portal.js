/* The member portal: registers its service worker (cache of the shell and static files). */
(function () {
  "use strict";
  var script = document.getElementById("portal-js");
  if ("serviceWorker" in navigator && script) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(script.dataset.sw, {scope: script.dataset.scope}).catch(function () {});
    });
  }
})();
