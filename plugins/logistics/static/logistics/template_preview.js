// The freight template form's live fee preview (a static file: no inline script under the CSP).
(function () {
    var form = document.getElementById("template-form");
    if (!form) { return; }
    var out = document.getElementById("preview-result");
    var timer = null;
    function render(data) {
        out.className = "alert mb-0 " + (data.ok && data.deliverable ? "alert-success" : "alert-warning");
        out.textContent = "";
        if (!data.ok) { out.textContent = data.errors.join(" "); return; }
        var strong = document.createElement("strong");
        strong.textContent = data.deliverable ? "¥" + data.amount : "—";
        out.appendChild(strong);
        out.appendChild(document.createTextNode(" " + data.explanation));
    }
    function refresh() {
        fetch(form.dataset.previewUrl, {method: "POST", body: new FormData(form), credentials: "same-origin"})
            .then(function (r) { return r.json(); }).then(render)
            .catch(function () { out.textContent = form.dataset.previewUnavailable; });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 100); });
    refresh();
})();
