// klimamål review app: keyboard shortcuts and "add a target from the selected text".
// Loaded as a static file (the Content-Security-Policy forbids inline script).
"use strict";

(function () {
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function clickKey(key) {
    var el = document.querySelector('[data-key="' + key + '"]');
    if (el) { el.click(); return true; }
    return false;
  }

  // Offsets of the current selection inside #passage, in page-text characters.
  // Labels on marked words are CSS generated content, so textContent equals the page text slice.
  function selectionOffsets(container) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    var pre = document.createRange();
    pre.selectNodeContents(container);
    pre.setEnd(range.startContainer, range.startOffset);
    var start = pre.toString().length;
    var end = start + range.toString().length;
    var offset = parseInt(container.dataset.offset || "0", 10);
    return { start: offset + start, end: offset + end };
  }

  function addFromSelection() {
    var container = document.getElementById("passage");
    var message = document.getElementById("selection-message");
    if (!container || !container.dataset.addUrl) return;
    var span = selectionOffsets(container);
    if (!span) {
      if (message) message.textContent = "Markér først teksten til det nye mål i passagen.";
      container.focus();
      return;
    }
    var sep = container.dataset.addUrl.indexOf("?") === -1 ? "?" : "&";
    window.location.assign(container.dataset.addUrl + sep + "start=" + span.start + "&end=" + span.end);
  }

  function queueRows() {
    return Array.prototype.slice.call(document.querySelectorAll("a.row-link"));
  }

  function moveRow(step) {
    var rows = queueRows();
    if (!rows.length) return;
    var index = rows.indexOf(document.activeElement);
    index = index === -1 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, index + step));
    rows[index].focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var addButton = document.getElementById("add-from-selection");
    if (addButton) addButton.addEventListener("click", addFromSelection);

    // Enter saves the edit form from any of its fields, selects included.
    ["edit-form", "add-form"].forEach(function (id) {
      var form = document.getElementById(id);
      if (!form) return;
      form.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target.tagName === "SELECT") {
          event.preventDefault();
          form.requestSubmit();
        }
        if (event.key === "Enter" && event.target.tagName === "TEXTAREA" && !event.shiftKey) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    });
    // Bring the quote into view inside the scrolling passage (a third from the top).
    var passage = document.getElementById("passage");
    var quote = passage && passage.querySelector("mark.quote");
    if (quote) {
      passage.scrollTop = Math.max(0, quote.offsetTop - passage.clientHeight / 3);  // offsetParent is the passage
    }
    var conflict = document.getElementById("conflict");
    if (conflict) conflict.scrollIntoView();
    var firstError = document.querySelector(".invalid input, .invalid select, .invalid textarea");
    if (firstError) firstError.focus();
    if (document.body.dataset.page === "add") {
      var first = document.getElementById("field-value");
      if (first && !firstError) first.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (document.activeElement) document.activeElement.blur();
      return;
    }
    if (typing(event.target)) return;
    var page = document.body.dataset.page;
    var key = event.key;
    if (page === "queue" && (key === "j" || key === "k")) {
      event.preventDefault();
      moveRow(key === "j" ? 1 : -1);
      return;
    }
    if (page !== "target" && page !== "page") return;
    if (key === "e") {
      var value = document.getElementById("field-value");
      if (value) { event.preventDefault(); value.focus(); value.select(); }
      return;
    }
    if (key === "r") {
      var reason = document.getElementById("reject-reason");
      if (reason) { event.preventDefault(); reason.focus(); }
      return;
    }
    if (["a", "s", "u", "j", "k", "n"].indexOf(key) !== -1) {
      if (clickKey(key)) event.preventDefault();
    }
  });
})();
