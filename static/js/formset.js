// Adds opinion rows in the page without a round trip; without JavaScript the
// "add rows" button asks the server instead. The row template comes from the server.
(function () {
  const form = document.getElementById("opinion-entry");
  const template = document.getElementById("opinion-row-template");
  const button = document.getElementById("add-rows");
  if (!form || !template || !button) return;
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const max = parseInt(form.querySelector("input[name$='-MAX_NUM_FORMS']").value, 10);
  const rows = document.getElementById("opinion-rows");
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
      if (first === null) first = rows.lastElementChild;
    }
    if (first) first.querySelector("select, input, textarea").focus();
  });
})();
