// 智慧党建 front-end glue (kept tiny; htmx does the rest). No inline scripts: CSP forbids them.
(function () {
  "use strict";

  // A failed htmx request shows a Chinese message in its target instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = status === 404 ? "未找到该记录或无权访问。" : "操作未成功，请稍后重试。";
    var target = event.detail.target;
    if (target) { target.prepend(box); }
  });

  // Organization tree: the first click loads the children (hx-get, "click once"); later
  // clicks only fold and unfold them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".tree-toggle");
    if (!button) { return; }
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) { return; }
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    list.hidden = open;
    if (!open && !list.dataset.loaded) { list.classList.add("tree-loading"); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("tree-children")) {
      target.dataset.loaded = "1";
      target.classList.remove("tree-loading");
    }
  });

  // A tree with few top organizations opens them at once (the usual case: one committee).
  window.addEventListener("load", function () {
    var roots = document.querySelectorAll(".tree-root > .tree-node > .tree-row > .tree-toggle");
    if (roots.length > 0 && roots.length <= 3) {
      Array.prototype.forEach.call(roots, function (button) {
        if (button.getAttribute("aria-expanded") !== "true") { button.click(); }  // a search opened it already
      });
    }
  });

  // A tree search scrolls to its first hit.
  window.addEventListener("load", function () {
    var hit = document.querySelector(".org-tree .tree-hit");
    if (hit && !window.location.hash) { hit.scrollIntoView({block: "center"}); }
  });

  // Filter requests leave out empty fields, so the address stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.classList || !elt.classList.contains("filter-form")) { return; }
    var params = event.detail.parameters;
    var keys = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
    keys.forEach(function (key) {
      var value = params instanceof FormData ? params.get(key) : params[key];
      if (value === "" || value === "unknown") {
        if (params instanceof FormData) { params.delete(key); } else { delete params[key]; }
      }
    });
  });

  // Lists: after the filter form or a sort / page link refreshed the table, the 导出Excel
  // link exports exactly the rows now shown (same query string).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var link = document.getElementById("export-link");
    if (!link || !target || target.id !== "object-table") { return; }
    var path = (event.detail.pathInfo && (event.detail.pathInfo.finalRequestPath || event.detail.pathInfo.requestPath)) || "";
    var query = path.indexOf("?") >= 0 ? path.slice(path.indexOf("?")) : "";
    link.setAttribute("href", link.getAttribute("data-base") + query);
  });
})();
