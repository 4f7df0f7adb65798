/* The counter intake's scans: each requirement row is a drop zone (several files at once) sending its files
   to the document API as the requirement's document type; a stored scan ticks the requirement as received.
   The berita dokumen waits until every upload is answered. */
(function () {
  "use strict";
  var form = document.getElementById("sigap-intake-scans");
  if (!form || !window.sigapUpload) { return; }
  var send = window.sigapUpload.uploader(form);
  var button = document.getElementById("give-berita");
  var pending = 0;

  function settle(delta) {
    pending += delta;
    button.disabled = pending > 0;
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-requirement]"), function (row) {
    var lines = row.querySelector(".sigap-scan-lines");
    var received = row.querySelector("input[name=received]");
    var fields = { document_type: row.dataset.documentType, application: form.dataset.application };
    window.sigapUpload.dropzone(row.querySelector(".sigap-scan-zone"), row.querySelector("input[type=file]"),
      function (files) {
        Array.prototype.forEach.call(files, function (file) {
          settle(1);
          send(file, lines, fields, function (ok) {
            if (ok) { received.checked = true; }
            settle(-1);
          });
        });
      });
  });
}());
