/* The offline queue of phone pages (the member portal, QR check-in). A form marked data-queue="checkin" carries a client-generated key (input name "key"); when
   the phone is offline (or the request fails on the network) the form's fields are kept in
   localStorage and sent when the connection returns. The server records a key once, so a
   replay after a lost answer changes nothing. Plain ES2017 and localStorage: the feature set
   of the WeChat in-app browser. */
(function () {
  "use strict";
  var QUEUE = "portal-queue";
  var script = document.getElementById("queue-js");
  var net = document.getElementById("netstate");

  function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }
  function say(text) { if (net) { net.textContent = text; net.hidden = !text; } }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function fields(form) {
    var out = [];
    new FormData(form).forEach(function (value, name) { out.push([name, String(value)]); });
    return out;
  }
  function body(pairs) {
    return pairs.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
  }
  function send(item) {
    return fetch(item.action, {
      method: "POST", credentials: "same-origin", redirect: "follow",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-Queued-Replay": "1", "Accept": "application/json"},
      body: body(item.fields)
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response;  // 2xx and 4xx are answers: the item leaves the queue either way
    });
  }
  var flushing = false;
  function flush() {
    var items = load();
    if (!items.length || flushing || !navigator.onLine) return;
    flushing = true;
    var item = items[0];
    send(item).then(function () {
      save(load().filter(function (i) { return i.key !== item.key; }));
      flushing = false;
      say(script.dataset.sent || "");
      if (load().length) { flush(); } else { setTimeout(function () { location.reload(); }, 600); }
    }, function () { flushing = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-queue]")) return;
    var keyField = form.querySelector("input[name=key]");
    if (keyField && !keyField.value) keyField.value = newKey();
    if (navigator.onLine) return;  // online: an ordinary submit
    event.preventDefault();
    var items = load();
    var key = keyField ? keyField.value : newKey();
    if (!items.some(function (i) { return i.key === key; })) {
      items.push({key: key, action: form.action, fields: fields(form), at: Date.now()});
      save(items);
    }
    say(form.dataset.queued || "");
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; button.textContent = form.dataset.queued || button.textContent; }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { say(script.dataset.offline || ""); });
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.onLine) say(script.dataset.offline || "");
    var pending = load().length;
    if (pending) { say(script.dataset.pending || ""); flush(); }
    document.querySelectorAll("form[data-clear-cache]").forEach(function (form) {
      form.addEventListener("submit", function () {  // logging out: nothing personal stays on the phone
        localStorage.removeItem(QUEUE);
        if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      });
    });
  });
})();
