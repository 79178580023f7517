// The test page: every answer is queued on the phone (localStorage) and sent one at a time;
// a lost connection keeps the queue, which is sent again when the connection returns.
// The clock shows the server's remaining time; the server submits at the limit by itself.
(function () {
  "use strict";
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function init() {
    var root = document.getElementById("take");
    if (!root) return;
    var url = root.dataset.answerUrl, key = "study-queue-" + root.dataset.attempt;
    var state = document.getElementById("save-state");
    var queue = {};
    try { queue = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { queue = {}; }
    var sending = false;
    function store() { localStorage.setItem(key, JSON.stringify(queue)); }
    function show() {
      var pending = Object.keys(queue).length;
      state.textContent = pending ? (navigator.onLine ? root.dataset.pending : root.dataset.offline) : root.dataset.saved;
      state.dataset.pending = String(pending);
    }
    function flush() {
      var ids = Object.keys(queue);
      if (sending || !ids.length) { show(); return Promise.resolve(); }
      sending = true;
      var qid = ids[0], value = queue[qid];
      return fetch(url, {method: "POST", credentials: "same-origin",
                         headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
                         body: JSON.stringify({question: Number(qid), answer: value})})
        .then(function (r) {
          sending = false;
          if (r.ok) {
            if (queue[qid] === value) delete queue[qid];
            store();
            return flush();
          }
          return r.json().then(function (body) {
            if (r.status === 409 && body.result) { localStorage.removeItem(key); window.location = body.result; }
          });
        }, function () { sending = false; show(); });
    }
    function valueOf(card) {
      var kind = card.dataset.kind;
      if (kind === "fill") return card.querySelector("input").value;
      var picked = [];
      card.querySelectorAll("input:checked").forEach(function (i) { picked.push(i.value); });
      return picked.join("");
    }
    document.querySelectorAll(".question").forEach(function (card) {
      var handler = function () { queue[card.dataset.question] = valueOf(card); store(); show(); flush(); };
      card.querySelectorAll("input").forEach(function (i) {
        i.addEventListener(i.type === "text" ? "input" : "change", handler);
      });
    });
    // answers kept on the phone from before a reload show again
    Object.keys(queue).forEach(function (qid) {
      var card = document.querySelector('.question[data-question="' + qid + '"]');
      if (!card) return;
      if (card.dataset.kind === "fill") { card.querySelector("input").value = queue[qid]; return; }
      card.querySelectorAll("input").forEach(function (i) { i.checked = queue[qid].indexOf(i.value) >= 0; });
    });
    window.addEventListener("online", flush);
    window.addEventListener("offline", show);
    setInterval(flush, 5000);
    flush();
    var form = document.getElementById("submit-form");
    form.addEventListener("submit", function (ev) {
      if (Object.keys(queue).length) {
        ev.preventDefault();
        flush().then(function () { if (!Object.keys(queue).length) form.submit(); else show(); });
      }
    });
    var remaining = Number(root.dataset.remaining), clock = document.getElementById("clock");
    var ends = Date.now() + remaining * 1000;
    function tick() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { clearInterval(timer); flush().then(function () { form.submit(); }); }
    }
    var timer = setInterval(tick, 1000);
    tick();
  }
  document.addEventListener("DOMContentLoaded", init);
})();
