// The post editor's helpers (loaded only by admin pages that use them; a file, so the CSP's 'self' allows it).
// 1. Markdown toolbar: a button with data-md-target (a textarea id), data-md-before/after (wrap the
//    selection) or data-md-line (prefix each selected line) edits the text as if typed, so the page's
//    own input handling keeps the form in step.
// 2. Unsaved changes: while an element [data-unsaved="true"] is on the page, leaving asks first
//    (the browser's prompt on unload; a confirm with data-unsaved-message for in-app links).
(function () {
  if (window.vwsEditorTools) return;
  window.vwsEditorTools = true;

  var setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;

  function edited(area, button) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end);
    var line = button.getAttribute("data-md-line");
    if (line !== null) {
      var lineStart = text.lastIndexOf("\n", start - 1) + 1;
      var block = text.slice(lineStart, end) || "";
      var prefixed = block.split("\n").map(function (part) { return line + part; }).join("\n");
      return { value: text.slice(0, lineStart) + prefixed + text.slice(end),
               from: lineStart, to: lineStart + prefixed.length };
    }
    var before = button.getAttribute("data-md-before") || "";
    var after = button.getAttribute("data-md-after") || "";
    var inner = chosen || button.getAttribute("data-md-placeholder") || "";
    return { value: text.slice(0, start) + before + inner + after + text.slice(end),
             from: start + before.length, to: start + before.length + inner.length };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-md-target]");
    if (!button) return;
    var area = document.getElementById(button.getAttribute("data-md-target"));
    if (!area) return;
    event.preventDefault();
    var change = edited(area, button);
    setValue.call(area, change.value);
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
    area.setSelectionRange(change.from, change.to);
  });

  function unsaved() {
    return document.querySelector('[data-unsaved="true"]');
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Capture phase, before the app's router sees the click.
  document.addEventListener("click", function (event) {
    var marker = unsaved();
    var link = event.target.closest && event.target.closest("a[href]");
    if (!marker || !link || link.target === "_blank" || event.defaultPrevented) return;
    if (!window.confirm(marker.getAttribute("data-unsaved-message") || "")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
