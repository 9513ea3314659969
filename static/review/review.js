/* The review screen: tabs, field selection with its box on the page, keyboard shortcuts,
   and the actions sent with fetch (the server answers JSON with the re-rendered pieces).
   Without this script the screen still works: every action is a plain form post. */
(function () {
  "use strict";

  const studio = document.getElementById("studio");
  if (!studio) return;
  studio.classList.add("js");

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const stage = $("#v-stage");
  const pagesBox = $("#v-pages");
  const storageKey = "review-tab";
  // What a person types in (the CSRF token is an input too, a hidden one).
  const FIELDS = "input:not([type=hidden]), select, textarea";

  /* ---------------------------------------------------------------- toast */
  const toast = $("#studio-toast");
  let toastTimer = null;
  function say(message, isError) {
    if (!message) return;
    toast.textContent = message;
    toast.classList.toggle("studio-toast-error", !!isError);
    toast.classList.add("studio-toast-on");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toast.classList.remove("studio-toast-on"), isError ? 6000 : 2600);
  }
  // The admin's messages (after a plain post or a redirect) become a toast: no line lost.
  const messageList = $(".messagelist");
  if (messageList) {
    const items = $$("li", messageList);
    say(items.map((li) => li.textContent.trim()).join(" — "), items.some((li) => li.classList.contains("error")));
    messageList.remove();
  }

  /* ----------------------------------------------------------------- tabs */
  const tabs = $$(".tab[data-tab]");
  function showTab(name, remember) {
    const panel = $(`.panel[data-panel="${name}"]`);
    if (!panel) return;
    $$(".panel").forEach((p) => p.classList.toggle("panel-active", p === panel));
    tabs.forEach((t) => t.classList.toggle("tab-active", t.dataset.tab === name));
    $(".studio-main").classList.toggle("studio-main-wide", name === "matrix");
    if (remember !== false) sessionStorage.setItem(storageKey, name);
  }
  function currentTab() {
    const active = $(".tab.tab-active");
    return active ? active.dataset.tab : "fields";
  }
  tabs.forEach((t) => t.addEventListener("click", (event) => { event.preventDefault(); showTab(t.dataset.tab); }));
  studio.addEventListener("click", (event) => {
    const goto = event.target.closest("[data-goto]");
    if (goto) { event.preventDefault(); showTab(goto.dataset.goto); }
  });
  const hashTab = (location.hash.match(/^#panel-(\w+)/) || [])[1];
  showTab(hashTab || sessionStorage.getItem(storageKey) || "fields", false);
  function refreshTabCounts(counts) {
    Object.entries(counts || {}).forEach(([name, value]) => {
      const badge = $(`[data-tab-count="${name}"]`);
      if (badge) badge.textContent = value;
    });
    $$("[data-tab-count]").forEach((badge) => {
      const hot = badge.dataset.tabCount !== "fields" && Number(badge.textContent) > 0;
      badge.classList.toggle("tab-count-hot", hot);
    });
  }
  refreshTabCounts();

  /* --------------------------------------------------------------- viewer */
  let zoom = Number(sessionStorage.getItem("review-zoom")) || 1;
  function applyZoom(value, anchor) {
    const before = stage.scrollHeight ? stage.scrollTop / stage.scrollHeight : 0;
    zoom = Math.min(4, Math.max(0.4, Math.round(value * 100) / 100));
    pagesBox.style.setProperty("--zoom", zoom);
    $("#v-zoom").textContent = Math.round(zoom * 100) + " %";
    sessionStorage.setItem("review-zoom", String(zoom));
    if (anchor) anchor(); else stage.scrollTop = before * stage.scrollHeight;
  }
  applyZoom(zoom);

  const pages = $$(".v-page");
  const thumbs = $$(".v-thumb");
  function visiblePageIndex() {
    const top = stage.getBoundingClientRect().top + 40;
    let index = 0;
    pages.forEach((page, i) => { if (page.getBoundingClientRect().top <= top) index = i; });
    return index;
  }
  function updatePageInfo() {
    if (!pages.length) return;
    const index = visiblePageIndex();
    const page = pages[index];
    $("#v-pageinfo").textContent = `${page.dataset.label} — ${index + 1}/${pages.length}`;
    thumbs.forEach((t) => t.classList.toggle("v-current", t.dataset.page === page.dataset.page));
    const current = thumbs.find((t) => t.dataset.page === page.dataset.page);
    if (current) current.scrollIntoView({ block: "nearest" });
  }
  let scrollTick = null;
  stage.addEventListener("scroll", () => {
    if (scrollTick) return;
    scrollTick = requestAnimationFrame(() => { scrollTick = null; updatePageInfo(); });
  });
  function goToPage(index) {
    if (!pages.length) return;
    const target = pages[Math.max(0, Math.min(pages.length - 1, index))];
    stage.scrollTo({ top: target.offsetTop - 10, behavior: "instant" in window ? "instant" : "auto" });
    updatePageInfo();
  }
  thumbs.forEach((t) => t.addEventListener("click", (event) => {
    event.preventDefault();
    goToPage(pages.findIndex((p) => p.dataset.page === t.dataset.page));
  }));
  $(".v-toolbar").addEventListener("click", (event) => {
    const button = event.target.closest("[data-v]");
    if (!button) return;
    ({
      prev: () => goToPage(visiblePageIndex() - 1),
      next: () => goToPage(visiblePageIndex() + 1),
      "zoom-in": () => applyZoom(zoom * 1.2, keepBoxInView),
      "zoom-out": () => applyZoom(zoom / 1.2, keepBoxInView),
      fit: () => applyZoom(1, keepBoxInView),
    })[button.dataset.v]();
  });
  updatePageInfo();

  let box = null;
  function showBox(row) {
    thumbs.forEach((t) => t.classList.remove("v-hasbox"));
    const page = row && row.dataset.page ? $(`#page-${row.dataset.page}`) : null;
    if (!page) { if (box) box.remove(); box = null; return false; }
    if (!box) { box = document.createElement("div"); box.className = "v-box"; box.id = "v-box"; }
    const thumb = thumbs.find((t) => t.dataset.page === row.dataset.page);
    if (thumb) thumb.classList.add("v-hasbox");
    page.appendChild(box);
    const parts = (row.dataset.bbox || "").split(",").map(Number);
    box.dataset.label = $(".f-label", row) ? $(".f-label", row).textContent : "";
    if (parts.length === 4 && parts.every((n) => !Number.isNaN(n))) {
      const [x0, y0, x1, y1] = parts;
      // A few pixels of margin so the box frames the text instead of cutting it.
      Object.assign(box.style, {
        left: `calc(${x0 * 100}% - 3px)`, top: `calc(${y0 * 100}% - 3px)`,
        width: `calc(${(x1 - x0) * 100}% + 6px)`, height: `calc(${(y1 - y0) * 100}% + 6px)`, display: "block",
      });
      box.dataset.hasBox = "1";
    } else {
      box.style.display = "none";
      delete box.dataset.hasBox;
    }
    keepBoxInView();
    return true;
  }
  function keepBoxInView() {
    if (!box || !box.isConnected) return;
    const page = box.parentElement;
    if (!box.dataset.hasBox) { stage.scrollTop = page.offsetTop - 10; updatePageInfo(); return; }
    const boxTop = page.offsetTop + box.offsetTop;
    const boxLeft = page.offsetLeft + box.offsetLeft;
    stage.scrollTop = boxTop - stage.clientHeight / 2 + box.offsetHeight / 2;
    stage.scrollLeft = boxLeft - stage.clientWidth / 2 + box.offsetWidth / 2;
    updatePageInfo();
  }

  /* --------------------------------------------------------------- fields */
  let selectedId = null;
  const fieldsPanel = $("#panel-fields");
  const rows = () => $$(".f-row").filter((row) => !row.closest(".f-collapsed") && row.offsetParent !== null
    || (row.classList.contains("f-selected") && !row.closest(".f-collapsed")));

  // "Only the fields to check": the others are hidden (f toggles it; remembered).
  const onlyBox = $("#only-attention");
  function setOnlyAttention(on) {
    fieldsPanel.classList.toggle("only-attn", on);
    if (onlyBox) onlyBox.checked = on;
    sessionStorage.setItem("review-only-attention", on ? "1" : "");
  }
  if (onlyBox) onlyBox.addEventListener("change", () => setOnlyAttention(onlyBox.checked));
  setOnlyAttention(sessionStorage.getItem("review-only-attention") === "1");
  const selectedRow = () => (selectedId ? $(`#field-${selectedId}`) : null);

  function select(row, options) {
    options = options || {};
    $$(".f-row.f-selected").forEach((r) => r.classList.remove("f-selected"));
    $$(".r-card.r-related").forEach((r) => r.classList.remove("r-related"));
    if (!row) { selectedId = null; showBox(null); return; }
    selectedId = row.dataset.field;
    row.classList.add("f-selected");
    if (options.scroll !== false) row.scrollIntoView({ block: options.block || "nearest" });
    showBox(row);
    $$(".r-card").forEach((card) => {
      if ((card.dataset.fields || "").split(",").includes(selectedId)) card.classList.add("r-related");
    });
  }
  function selectById(id, switchTab) {
    const row = $(`#field-${id}`);
    if (!row) return;
    const group = row.closest(".f-group");
    if (group) group.classList.remove("f-collapsed");
    if (switchTab) showTab("fields");
    select(row, { scroll: currentTab() === "fields" });
  }
  function move(step, onlyAttention) {
    const list = rows();
    if (!list.length) return;
    let index = list.findIndex((r) => r.dataset.field === selectedId);
    for (let i = 0; i < list.length; i++) {
      index = index === -1 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
      if (!onlyAttention || list[index].classList.contains("f-attn")) return select(list[index]);
    }
    if (onlyAttention) say("Plus aucun champ à vérifier.");
  }

  studio.addEventListener("click", (event) => {
    const fieldLink = event.target.closest("[data-select-field]");
    if (fieldLink) {
      event.preventDefault();
      selectById(fieldLink.dataset.selectField, fieldLink.classList.contains("r-field-link"));
      return;
    }
    const docLink = event.target.closest("[data-select-document]");
    if (docLink) {
      event.preventDefault();
      const thumb = thumbs.find((t) => t.dataset.document === docLink.dataset.selectDocument);
      if (thumb) goToPage(pages.findIndex((p) => p.dataset.page === thumb.dataset.page));
      return;
    }
    const toggle = event.target.closest(".f-group-toggle");
    if (toggle) {
      const group = toggle.closest(".f-group");
      group.classList.toggle("f-collapsed");
      toggle.setAttribute("aria-expanded", String(!group.classList.contains("f-collapsed")));
      return;
    }
    const row = event.target.closest(".f-row");
    if (row && !event.target.closest("button, input, select, textarea, summary, a, form")) select(row);
  });

  /* ------------------------------------------------------ typed inputs */
  function siretKeyValid(digits) {
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let n = Number(digits[digits.length - 1 - i]);
      if (i % 2) { n *= 2; if (n > 9) n -= 9; }
      sum += n;
    }
    return sum % 10 === 0 || digits.startsWith("356000000");
  }
  studio.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("[data-siret]")) return;
    const hint = $(".f-hint", input.form);
    const digits = input.value.replace(/\D/g, "");
    if (digits.length !== 14) hint.textContent = digits.length ? `${digits.length} chiffres sur 14` : "";
    else hint.textContent = siretKeyValid(digits) ? "" : "Clé de contrôle invalide (Luhn) : vérifiez la saisie.";
  });

  /* ------------------------------------------------------------- actions */
  function csrfToken() {
    const input = $("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  async function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const row = form.closest(".f-row");
    if (row) row.classList.add("f-busy");
    let answer = null;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch", "X-CSRFToken": csrfToken() },
      });
      answer = await response.json().catch(() => ({ ok: false, message: `Erreur ${response.status}` }));
      answer.status = response.status;
    } catch (error) {
      answer = { ok: false, message: "Connexion perdue : l'action n'a pas été enregistrée." };
    } finally {
      if (row) row.classList.remove("f-busy");
    }
    return answer;
  }
  function applyPanels(answer) {
    Object.entries(answer.rows || {}).forEach(([id, html]) => {
      const old = $(`#field-${id}`);
      if (!old) return;
      const wasSelected = id === selectedId;
      old.outerHTML = html;
      if (wasSelected) $(`#field-${id}`).classList.add("f-selected");
    });
    Object.entries(answer.groups || {}).forEach(([id, counts]) => {
      const target = $(`[data-group-counts="${id}"]`);
      if (!target) return;
      target.innerHTML = (counts.to_check ? `<span class="f-tocheck">${counts.to_check} à vérifier</span>` : "")
        + `<span class="f-done">${counts.reviewed}/${counts.total}</span>`;
    });
    Object.entries(answer.panels || {}).forEach(([name, html]) => {
      const panel = $(`.panel[data-panel="${name}"]`);
      if (panel) panel.innerHTML = html;
    });
    if (answer.summary) $("#studio-summary").innerHTML = answer.summary;
    refreshTabCounts(answer.tabs);
    const row = selectedRow();
    if (row) select(row, { scroll: false });
  }

  studio.addEventListener("submit", async (event) => {
    const form = event.target;
    const action = form.dataset.action;
    if (!action) return; // data-plain forms (release, take over) go through normally
    event.preventDefault();
    const answer = await send(form, event.submitter);
    if (answer.redirect) { window.location.assign(answer.redirect); return; }
    if (!answer.ok) {
      const hint = $(".f-hint", form);
      if (hint && action === "correct") { hint.textContent = answer.message; $(FIELDS, form).focus(); }
      say(answer.message, true);
      if (answer.blockers) showTab("rules");
      return;
    }
    applyPanels(answer);
    say(answer.message);
    if (["confirm", "correct", "wrong"].includes(action)) {
      // Done with this field: flash it and go on to the next one.
      const id = (form.action.match(/field\/(\d+)\//) || [])[1];
      const done = id && $(`#field-${id}`);
      if (done) done.classList.add("f-flash");
      if (id && id === selectedId) move(1);
    }
  });

  /* ------------------------------------------------------------ keyboard */
  function openDetails(details, focusSelector) {
    if (!details) return false;
    $$("details[open]").forEach((d) => { if (d !== details && !d.contains(details)) d.open = false; });
    details.open = true;
    const target = $(focusSelector || `${FIELDS}, button[type=submit]`, details);
    if (target) { target.focus(); if (target.select && target.type !== "date") target.select(); }
    return true;
  }
  function editSelected() {
    const row = selectedRow();
    if (!row) { move(1); return; }
    openDetails($(".f-edit", row), FIELDS);
  }
  function clickIn(row, selector) {
    const button = row && $(selector, row);
    if (button && !button.disabled) button.form.requestSubmit(button);
    else if (row) say("Action sans objet sur ce champ.", true);
  }
  function overrideForSelected() {
    const cards = $$('.r-card[data-overridable="1"]');
    if (!cards.length) { say("Aucune règle en échec n'accepte de dérogation.", true); return; }
    const related = cards.find((c) => (c.dataset.fields || "").split(",").includes(selectedId)) || cards[0];
    showTab("rules");
    related.scrollIntoView({ block: "nearest" });
    openDetails($(".r-override", related), "textarea");
  }
  function closeAll() {
    const open = $$("details[open]");
    open.forEach((d) => { d.open = false; });
    return open.length > 0;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.form) {
        event.preventDefault();
        event.target.form.requestSubmit();
      }
      return;
    }
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      if (typing && typing.closest(".f-edit")) { typing.closest(".f-edit").open = false; stage.focus(); event.preventDefault(); return; }
      if (closeAll()) { event.preventDefault(); if (typing) typing.blur(); return; }
      if (typing) { typing.blur(); return; }
    }
    if (typing) {
      // In the override reason, Enter saves (Shift+Enter for a new line).
      if (event.key === "Enter" && !event.shiftKey && typing.matches(".r-override-form textarea")) {
        event.preventDefault();
        typing.form.requestSubmit();
      }
      return;
    }
    const editable = studio.classList.contains("studio-editable");
    const handlers = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      u: () => move(1, true),
      c: () => editable && clickIn(selectedRow(), ".f-btn-confirm"),
      e: () => editable && editSelected(),
      w: () => editable && clickIn(selectedRow(), ".f-btn-wrong"),
      o: () => editable && overrideForSelected(),
      a: () => editable && openDetails($("#decide-approve"), "textarea"),
      r: () => editable && openDetails($("#decide-reject"), "select"),
      n: () => { const form = $("#form-next"); if (form) form.requestSubmit(); },
      1: () => showTab("fields"), 2: () => showTab("matrix"), 3: () => showTab("rules"),
      4: () => showTab("dossier"), 5: () => showTab("history"),
      "[": () => goToPage(visiblePageIndex() - 1), "]": () => goToPage(visiblePageIndex() + 1),
      PageUp: () => goToPage(visiblePageIndex() - 1), PageDown: () => goToPage(visiblePageIndex() + 1),
      "+": () => applyZoom(zoom * 1.2, keepBoxInView), "=": () => applyZoom(zoom * 1.2, keepBoxInView),
      "-": () => applyZoom(zoom / 1.2, keepBoxInView), 0: () => applyZoom(1, keepBoxInView),
      "?": () => $("#studio-help").showModal(),
      f: () => { showTab("fields"); setOnlyAttention(!fieldsPanel.classList.contains("only-attn")); },
    };
    const handler = handlers[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });
  $("[data-help]").addEventListener("click", () => $("#studio-help").showModal());

  // A field named in the address (#field-12, after a plain post) is selected; else the first to check.
  const fromHash = (location.hash.match(/^#field-(\d+)/) || [])[1];
  if (fromHash) selectById(fromHash, true);
  else {
    // The field to look at first: one a failing blocking rule reads, else the least sure.
    const byUrgency = rows().filter((r) => Number(r.dataset.urgency) > 0)
      .sort((a, b) => Number(b.dataset.urgency) - Number(a.dataset.urgency));
    const first = byUrgency[0] || rows()[0];
    if (first) select(first, { scroll: byUrgency.length > 0, block: "center" });
  }
})();
