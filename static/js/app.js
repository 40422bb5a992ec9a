// Every page. On a wide screen the list filters start open; on a phone they stay folded
// behind their button so that the results come first (without JavaScript: folded).
(function () {
  if (!window.matchMedia("(min-width: 768px)").matches) return;
  document.querySelectorAll("details.filters").forEach(function (details) {
    details.open = true;
  });
})();
