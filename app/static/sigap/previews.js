// The verification page's scans: one preview at a time, loaded when its button is pressed (each preview is
// a presigned, audited link to the whole file; loading them all made the first view wait for every one).
document.addEventListener("DOMContentLoaded", function () {
  var viewer = document.getElementById("preview");
  var placeholder = document.getElementById("preview-placeholder");
  var buttons = document.querySelectorAll("[data-preview]");
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      buttons.forEach(function (other) { other.classList.remove("active"); });
      button.classList.add("active");
      viewer.title = button.dataset.title;
      viewer.src = button.dataset.preview;
      viewer.hidden = false;
      placeholder.hidden = true;
    });
  });
});
