/* Progressive enhancement of the portal's upload forms (they work without it):
   - dossier uploads: one request per file, with its own progress bar and verdict;
   - bulk upload: one request (the dossier is made of all files), per-file progress
     derived from the bytes sent;
   - the dossier page follows the pipeline and reloads when the status changes. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function humanSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1).replace(".", ",") + " Mo";
    return Math.max(1, Math.round(bytes / 1024)) + " Ko";
  }

  function fileRow(list, file) {
    var li = document.createElement("li");
    li.innerHTML = '<span class="file-name"></span><span class="verdict">En attente</span>' +
      '<div class="bar"><span></span></div><span class="reason"></span>';
    li.querySelector(".file-name").textContent = file.name + " (" + humanSize(file.size) + ")";
    list.appendChild(li);
    return {
      li: li,
      progress: function (ratio) {
        li.querySelector(".bar span").style.width = Math.round(ratio * 100) + "%";
        li.querySelector(".verdict").textContent = ratio < 1 ? "Envoi… " + Math.round(ratio * 100) + " %" : "Vérification…";
      },
      done: function (accepted, message) {
        li.className = accepted ? "accepted" : "refused";
        li.querySelector(".verdict").textContent = accepted ? "Accepté" : "Refusé";
        li.querySelector(".bar span").style.width = "100%";
        li.querySelector(".reason").textContent = message || "";
      }
    };
  }

  function send(form, formData, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      if (form.dataset.batch) xhr.setRequestHeader("X-Upload-Batch", form.dataset.batch);
      xhr.upload.onprogress = function (event) { if (event.lengthComputable) onProgress(event.loaded, event.total); };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = function () { resolve({ status: 0, body: null }); };
      xhr.send(formData);
    });
  }

  var uploading = false;

  function enhanceDossierUpload(form) {
    var input = form.querySelector("input[type=file]");
    var list = form.querySelector(".file-progress");
    if (!input || !list || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;  // let the browser explain (required) or the server answer
      event.preventDefault();
      uploading = true;
      form.dataset.batch = String(Date.now()) + Math.random().toString(16).slice(2);
      list.innerHTML = "";
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      var typeField = form.querySelector("[name=document_type]");
      var rows = files.map(function (file) { return fileRow(list, file); });
      var anyAccepted = false;
      var chain = Promise.resolve();
      files.forEach(function (file, index) {
        chain = chain.then(function () {
          var data = new FormData();
          data.append("csrfmiddlewaretoken", csrfToken(form));
          if (typeField && typeField.value) data.append("document_type", typeField.value);
          data.append("files", file, file.name);
          return send(form, data, function (loaded, total) { rows[index].progress(loaded / total); }).then(function (answer) {
            var result = answer.body && answer.body.files && answer.body.files[0];
            if (result) {
              rows[index].done(result.accepted, result.message);
              anyAccepted = anyAccepted || result.accepted;
            } else {
              rows[index].done(false, (answer.body && answer.body.error) || "Envoi interrompu (réseau ou serveur) : réessayez.");
            }
          });
        });
      });
      chain.then(function () {
        uploading = false;
        if (button) button.disabled = false;
        input.value = "";
        if (anyAccepted) {
          var note = document.createElement("li");
          note.className = "muted small";
          note.textContent = "Mise à jour du dossier…";
          list.appendChild(note);
          window.setTimeout(function () { window.location.reload(); }, 1200);
        }
      });
    });
  }

  function enhanceBulkUpload(form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector(".js-bulk-bar");
    var statusLine = form.querySelector(".js-bulk-status");
    if (!input || !window.FormData) return;
    var list = document.createElement("ul");
    list.className = "file-progress";
    form.appendChild(list);
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;
      event.preventDefault();
      uploading = true;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      list.innerHTML = "";
      bar.classList.remove("hidden");
      var rows = files.map(function (file) { return fileRow(list, file); });
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      files.forEach(function (file) { data.append("files", file, file.name); });
      var sizes = files.map(function (f) { return f.size; });
      var sum = sizes.reduce(function (a, b) { return a + b; }, 0) || 1;
      statusLine.textContent = "Envoi de " + files.length + " fichier(s)…";
      send(form, data, function (loaded, total) {
        var sent = loaded / total * sum, offset = 0;
        bar.querySelector("span").style.width = Math.round(loaded / total * 100) + "%";
        sizes.forEach(function (size, i) {
          rows[i].progress(Math.max(0, Math.min(1, (sent - offset) / (size || 1))));
          offset += size;
        });
      }).then(function (answer) {
        uploading = false;
        if (button) button.disabled = false;
        var body = answer.body || {};
        (body.files || []).forEach(function (result, i) { if (rows[i]) rows[i].done(result.accepted, result.message); });
        if (answer.status === 201 && body.url) {
          statusLine.textContent = "Dossier créé : ouverture…";
          window.location.href = body.url;
        } else {
          statusLine.textContent = body.error || "L'envoi a échoué (réseau ou serveur) : réessayez.";
          statusLine.className = "js-bulk-status error";
        }
      });
    });
  }

  function enhanceDropzones() {
    document.querySelectorAll(".dropzone").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      if (!input) return;
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("dragover"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("dragover"); });
      });
      zone.addEventListener("drop", function (e) {
        if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
      });
    });
  }

  function followProcessing() {
    var card = document.getElementById("avancement");
    if (!card || !window.fetch || card.dataset.inProgress !== "1") return;
    var initial = card.dataset.status;
    var timer = window.setInterval(function () {
      if (uploading) return;
      fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (!state) return;
          var docs = state.documents || {};
          var total = Object.keys(docs).reduce(function (a, k) { return a + docs[k]; }, 0);
          var done = (docs.processed || 0) + (docs.split || 0);
          var processed = card.querySelector(".js-processed"), totalEl = card.querySelector(".js-total");
          if (processed) processed.textContent = done;
          if (totalEl) totalEl.textContent = total;
          var bar = card.querySelector(".js-bar");
          if (bar) bar.style.width = (total ? Math.round(done / total * 100) : 0) + "%";
          if (state.status !== initial) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {});
    }, 4000);
  }

  document.querySelectorAll("form.js-upload").forEach(enhanceDossierUpload);
  document.querySelectorAll("form.js-bulk").forEach(enhanceBulkUpload);
  enhanceDropzones();
  followProcessing();
})();
