/*
 * Reading tracker (强制阅读) of a contract's page: counts the seconds the page is visible and
 * notices when the end of the contract text is reached (an IntersectionObserver on a sentinel
 * after the last line of the reading pane). It reports both to the page's "reading" URL
 * (data-reading-url) when the end is reached, every 30 s while reading, and when the page is
 * left (sendBeacon); the code request form carries what is not yet reported, so the server
 * knows it before it decides. The server, not this file, refuses a code to who has not read.
 * No dependencies; served by the platform.
 */
(function () {
  "use strict";
  var reader = document.getElementById("contract-reader");
  if (!reader) { return; }
  var url = reader.getAttribute("data-reading-url");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var sentinel = document.getElementById("contract-end");
  var status = document.getElementById("reading-status");
  var codeForm = document.getElementById("code-form");
  var totalSeconds = parseInt(reader.getAttribute("data-read-seconds") || "0", 10);
  var reachedEnd = reader.getAttribute("data-read-to-end") === "1";
  var requestButton = document.getElementById("request-code");
  var wait = requestButton ? parseInt(requestButton.getAttribute("data-wait") || "0", 10) : 0;
  var unsent = 0;
  var endUnsent = false;

  function show() {
    if (status) {
      status.setAttribute("data-seconds", String(totalSeconds + unsent));
      status.setAttribute("data-reached-end", reachedEnd ? "1" : "0");
      var seconds = status.querySelector(".reading-seconds");
      if (seconds) { seconds.textContent = String(totalSeconds + unsent); }
      var end = status.querySelector(".reading-end");
      if (end) { end.hidden = !reachedEnd; }
      var notEnd = status.querySelector(".reading-not-end");
      if (notEnd) { notEnd.hidden = reachedEnd; }
    }
    if (codeForm) {
      var secondsInput = codeForm.querySelector("input[name=read_seconds]");
      var endInput = codeForm.querySelector("input[name=reached_end]");
      if (secondsInput) { secondsInput.value = String(unsent); }
      if (endInput) { endInput.value = endUnsent || reachedEnd ? "True" : ""; }
      var button = codeForm.querySelector("button[type=submit]");
      if (button) { button.disabled = !reachedEnd || wait > 0; }
      var waitText = document.getElementById("resend-wait");
      if (waitText && wait <= 0) { waitText.hidden = true; }
    }
  }

  function payload() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("seconds", String(unsent));
    data.append("reached_end", endUnsent ? "1" : "0");
    return data;
  }

  function report() {
    if (!url || (unsent === 0 && !endUnsent)) { return; }
    var data = payload();
    var sent = unsent;
    unsent = 0;
    endUnsent = false;
    totalSeconds += sent;
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer) {
          totalSeconds = answer.read_seconds;
          reachedEnd = reachedEnd || answer.read_to_end;
          show();
        }
      })
      .catch(function () { unsent += sent; totalSeconds -= sent; });
  }

  function leave() {
    if (!url || (unsent === 0 && !endUnsent) || !navigator.sendBeacon) { return; }
    navigator.sendBeacon(url, payload());
    totalSeconds += unsent;
    unsent = 0;
    endUnsent = false;
  }

  setInterval(function () {
    if (wait > 0) { wait -= 1; }  // the server refuses a new code before the resend interval
    if (document.visibilityState === "visible") { unsent += 1; }
    show();
  }, 1000);
  setInterval(report, 30000);

  if (sentinel && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && !reachedEnd) {
          reachedEnd = true;
          endUnsent = true;
          show();
          report();
          observer.disconnect();
        }
      });
    }, { root: reader, threshold: 1.0 });
    observer.observe(sentinel);
  }

  if (codeForm) {
    codeForm.addEventListener("submit", function () {
      show();  // the unsent seconds travel with the form; the server records them first
      unsent = 0;
      endUnsent = false;
    });
  }
  window.addEventListener("pagehide", leave);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { leave(); }
  });
  show();
})();
