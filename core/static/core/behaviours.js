// Small page behaviours declared in markup, so that no template needs an inline handler
// (the Content-Security-Policy runs no inline script):
//   <form data-confirm="Delete this?">      asks before submitting
//   <input type="checkbox" data-check-all="numbers">  ticks every checkbox named "numbers"
//   and Oscar's image upload widget (templates/oscar/forms/widgets/image_input_widget.html, where
//   Oscar had inline onload/onerror): the preview hides the upload button once a picked image shows,
//   and an unreadable file brings it back with the widget's message
(function () {
  function uploadButton(img) {
    var widget = img.closest(".image-input");
    return widget ? document.getElementById("upload_button_" + widget.id) : null;
  }
  // load and error do not bubble: listen in the capture phase, for widgets the page adds later too
  document.addEventListener("load", function (event) {
    var img = event.target;
    if (img.tagName !== "IMG" || !img.hasAttribute("data-error-message") || !img.getAttribute("src")) { return; }
    var button = uploadButton(img);
    if (button) { button.style.display = "none"; }
  }, true);
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img.tagName !== "IMG" || !img.hasAttribute("data-error-message") || !img.getAttribute("src")) { return; }
    var button = uploadButton(img);
    if (button) { button.style.display = ""; }
    window.alert(img.getAttribute("data-error-message"));
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.checkAll) { return; }
    document.querySelectorAll('input[type="checkbox"][name="' + box.dataset.checkAll + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });
})();
