// Upload with a progress bar. Without JavaScript the form posts normally; with it, the same POST goes through
// XMLHttpRequest so the bytes sent can be shown. The server's answer is the page to show next.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = form.querySelector("[data-upload-progress]");
  var bar = form.querySelector("progress");
  var status = form.querySelector("[data-upload-status]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    box.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      status.textContent = percent < 100 ? percent + "% uploaded" : "Uploaded; checking and importing…";
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL.indexOf("/imports/") > 0) {
        window.location.assign(xhr.responseURL);
        return;
      }
      // A validation report (422) or an error page: show what the server sent.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The upload failed (connection lost). Nothing was imported; try again.";
      form.querySelector("button[type=submit]").disabled = false;
    });
    xhr.send(new FormData(form));
  });
})();
