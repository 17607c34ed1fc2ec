// The sign-in link carries its one-time token in the URL fragment (never sent to a server, so never in a log).
// Copy it into the form and drop it from the address bar; the visitor's click spends it, not a link previewer.
(function () {
  "use strict";
  const match = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  if (!match) {
    document.getElementById("missing").hidden = false;
    return;
  }
  document.getElementById("token").value = match[1];
  const go = document.getElementById("go");
  go.disabled = false;
  go.focus();
})();
