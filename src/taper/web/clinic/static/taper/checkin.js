// The check-in's follow-up questions appear as soon as the answer that opens them is
// chosen. Without JavaScript the server shows them after the first send (nothing is lost).
"use strict";
document.querySelectorAll("[data-reveal]").forEach(function (part) {
  var radios = document.querySelectorAll('input[name="' + part.dataset.reveal + '"]');
  var shown = part.querySelector('input[type="hidden"]');
  function update() {
    var chosen = document.querySelector('input[name="' + part.dataset.reveal + '"]:checked');
    var open = chosen !== null && chosen.value === part.dataset.when;
    part.hidden = !open;
    if (shown) { shown.value = open ? "True" : ""; }
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
});
