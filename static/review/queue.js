/* The queue: j/k move a cursor over the rows, Enter opens, x ticks the row, / searches,
   n opens the next dossier; the validator field of the action bar shows only for the
   bulk assignment action. */
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("#result_list tbody tr"));
  let cursor = -1;

  function place(index) {
    if (!rows.length) return;
    cursor = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("q-cursor", i === cursor));
    rows[cursor].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const open = () => {
      const link = cursor >= 0 && rows[cursor].querySelector("a.q-ref");
      if (link) window.location.assign(link.href);
    };
    const handlers = {
      j: () => place(cursor + 1), ArrowDown: () => place(cursor + 1),
      k: () => place(cursor - 1), ArrowUp: () => place(cursor - 1),
      Enter: open, o: open,
      x: () => { const box = cursor >= 0 && rows[cursor].querySelector("input.action-select"); if (box) box.click(); },
      "/": () => { const search = document.getElementById("searchbar"); if (search) search.focus(); },
      n: () => { const form = document.querySelector("form.q-next"); if (form) form.submit(); },
    };
    const handler = handlers[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });

  const action = document.querySelector("#changelist-form select[name=action]");
  const validator = document.querySelector("#changelist-form select[name=validator]");
  if (action && validator) {
    const label = validator.closest("label") || validator;
    const sync = () => { label.style.display = action.value === "assign_to_chosen_validator" ? "" : "none"; };
    action.addEventListener("change", sync);
    sync();
  }
})();
