/* Multi-file upload: each dropped or chosen file goes to the document API in its own request, with its own
   progress bar and result line. "Upload many files" (#sigap-upload) uses it below; the counter intake
   (intake.js) gives each requirement its own drop zone. Plain JavaScript (jQuery is not needed). */
(function () {
  "use strict";

  /* A sender of files, configured by the data-* of `settings` (api, csrf, max-mb and the messages). */
  function uploader(settings) {
    var maxBytes = Number(settings.dataset.maxMb) * 1024 * 1024;

    function row(rows, file) {
      var tr = document.createElement("tr");
      tr.innerHTML = '<td></td><td><div class="progress" style="margin: 0"><div class="progress-bar" ' +
        'role="progressbar" style="width: 0%">0%</div></div></td><td></td>';
      tr.cells[0].textContent = file.name;
      rows.appendChild(tr);
      return { bar: tr.querySelector(".progress-bar"), result: tr.cells[2] };
    }

    function finish(line, ok, text) {
      line.bar.className = "progress-bar " + (ok ? "progress-bar-success" : "progress-bar-danger");
      line.bar.style.width = "100%";
      // Small files may finish without any progress event: the bar still says how it ended.
      line.bar.textContent = ok ? "100%" : "";
      line.result.textContent = text;
    }

    function message(xhr) {
      try {
        var body = JSON.parse(xhr.responseText);
        var text = body.message;
        if (text && typeof text === "object") {
          text = Object.keys(text).map(function (key) { return [].concat(text[key]).join(" "); }).join(" ");
        }
        return text || settings.dataset.failed;
      } catch (error) {
        return settings.dataset.failed;
      }
    }

    /* Sends `file` with `fields`, its line added to `rows`; `done(ok)` once it is answered. */
    return function send(file, rows, fields, done) {
      var line = row(rows, file);
      var ended = function (ok, text) { finish(line, ok, text); if (done) { done(ok); } };
      if (file.size > maxBytes) { ended(false, settings.dataset.tooLarge); return; }
      var data = new FormData();
      data.append("file", file);
      Object.keys(fields).forEach(function (name) { data.append(name, fields[name]); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", settings.dataset.api);
      if (settings.dataset.csrf) { xhr.setRequestHeader("X-CSRFToken", settings.dataset.csrf); }
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) { return; }
        var percent = Math.round(100 * event.loaded / event.total) + "%";
        line.bar.style.width = percent;
        line.bar.textContent = percent;
      };
      xhr.onload = function () {
        if (xhr.status === 201) { ended(true, settings.dataset.stored); } else { ended(false, message(xhr)); }
      };
      xhr.onerror = function () { ended(false, settings.dataset.failed); };
      xhr.send(data);
    };
  }

  /* Calls `take(files)` with the files chosen in `picker` or dropped on `zone`. */
  function dropzone(zone, picker, take) {
    picker.addEventListener("change", function () { take(picker.files); picker.value = ""; });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("bg-info"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("bg-info"); });
    });
    zone.addEventListener("drop", function (event) { take(event.dataTransfer.files); });
  }

  window.sigapUpload = { uploader: uploader, dropzone: dropzone };

  var form = document.getElementById("sigap-upload");
  if (!form) { return; }
  var send = uploader(form);
  var rows = document.querySelector("#sigap-queue tbody");
  dropzone(document.getElementById("sigap-dropzone"), document.getElementById("sigap-files"), function (files) {
    Array.prototype.forEach.call(files, function (file) {
      var fields = { document_type: form.elements.document_type.value };
      if (form.elements.application.value) { fields.application = form.elements.application.value; }
      send(file, rows, fields);
    });
  });
}());
