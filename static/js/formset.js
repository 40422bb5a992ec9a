// The opinion entry form. Without JavaScript every row shows all its fields and the
// "add rows" button asks the server; with it:
// - a row shows only the fields its outcome needs (a field with an error always shows);
// - more rows come in the page without a round trip (the row template comes from the server);
// - after a failed save, focus goes to the summary of errors, and its links focus the field;
// - a focused field is never left under the sticky save bar.
(function () {
  const form = document.getElementById("opinion-entry");
  if (!form) return;
  const rows = document.getElementById("opinion-rows");

  function showFieldsFor(row) {
    const checked = row.querySelector("[data-outcome-buttons] input:checked");
    const outcome = checked ? checked.value : "";
    row.querySelectorAll("[data-for-outcome]").forEach(function (group) {
      const hasError = group.querySelector(".is-invalid") !== null;
      group.hidden = group.dataset.forOutcome !== outcome && !hasError;
    });
  }

  rows.querySelectorAll(".opinion-row").forEach(showFieldsFor);
  rows.addEventListener("change", function (event) {
    if (event.target.matches("[data-outcome-buttons] input")) {
      showFieldsFor(event.target.closest(".opinion-row"));
    }
  });

  // The save bar sticks to the bottom of the screen: a field that gets focus under it (by Tab,
  // by a link of the summary, by the phone's "next" key) is scrolled up above it.
  const bar = form.querySelector(".entry-actions");
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target)) return;
    const field = event.target.getBoundingClientRect();
    const top = bar.getBoundingClientRect().top;
    if (field.bottom > top - 8) window.scrollBy({ top: field.bottom - top + 16, behavior: "instant" });
  });

  const summary = document.getElementById("entry-errors");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
    });
  }

  const template = document.getElementById("opinion-row-template");
  const button = document.getElementById("add-rows");
  if (!template || !button) return;
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const max = parseInt(form.querySelector("input[name$='-MAX_NUM_FORMS']").value, 10);
  button.addEventListener("click", function (event) {
    event.preventDefault();
    let first = null;
    for (let i = 0; i < 5; i++) {
      const index = parseInt(total.value, 10);
      if (index >= max) break;
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      showFieldsFor(rows.lastElementChild);
      if (first === null) first = rows.lastElementChild;
    }
    if (first) first.querySelector("select, input, textarea").focus();
  });
})();
