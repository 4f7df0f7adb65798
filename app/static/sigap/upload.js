/* Multi-file upload: each dropped or chosen file goes to the document API in its own request,
   with its own progress bar and result line. Plain JavaScript (jQuery is not needed). */
(function () {
  "use strict";
  var form = document.getElementById("sigap-upload");
  if (!form) { return; }
  var zone = document.getElementById("sigap-dropzone");
  var picker = document.getElementById("sigap-files");
  var rows = document.querySelector("#sigap-queue tbody");
  var maxBytes = Number(form.dataset.maxMb) * 1024 * 1024;

  function row(file) {
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
      return text || form.dataset.failed;
    } catch (error) {
      return form.dataset.failed;
    }
  }

  function send(file) {
    var line = row(file);
    if (file.size > maxBytes) { finish(line, false, form.dataset.tooLarge); return; }
    var data = new FormData();
    data.append("file", file);
    data.append("document_type", form.elements.document_type.value);
    if (form.elements.application.value) { data.append("application", form.elements.application.value); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    if (form.dataset.csrf) { xhr.setRequestHeader("X-CSRFToken", form.dataset.csrf); }
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round(100 * event.loaded / event.total) + "%";
      line.bar.style.width = percent;
      line.bar.textContent = percent;
    };
    xhr.onload = function () {
      if (xhr.status === 201) { finish(line, true, form.dataset.stored); } else { finish(line, false, message(xhr)); }
    };
    xhr.onerror = function () { finish(line, false, form.dataset.failed); };
    xhr.send(data);
  }

  function sendAll(files) { Array.prototype.forEach.call(files, send); }

  picker.addEventListener("change", function () { sendAll(picker.files); picker.value = ""; });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("bg-info"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("bg-info"); });
  });
  zone.addEventListener("drop", function (event) { sendAll(event.dataTransfer.files); });
}());
