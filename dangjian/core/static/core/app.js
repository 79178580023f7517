// 智慧党建 front-end glue (kept tiny; htmx does the rest). No inline scripts: CSP forbids them.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var box = document.createElement("div");
  box.className = "alert alert-danger";
  box.setAttribute("role", "alert");
  box.textContent = status === 404 ? "未找到该记录或无权访问。" : "操作未成功，请稍后重试。";
  var target = event.detail.target;
  if (target) { target.prepend(box); }
});
