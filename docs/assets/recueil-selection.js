/* Recueil: the print-ready selection page. Shows exactly the sheets named in `?p=slug1,slug2`, in that
   order, taken from the sheets the build rendered (recueil/fiches.json); no HTML is built here. */
(function () {
  "use strict";
  var root = document.querySelector(".rc-selection");
  if (!root) { return; }
  var status = root.querySelector(".rc-selection__etat");
  var target = root.querySelector(".rc-selection__fiches");
  var button = root.querySelector(".rc-selection__imprimer");

  function requested() {
    var value = new URLSearchParams(window.location.search).get("p") || "";
    var seen = {};
    return value.split(",").map(function (s) { return s.trim(); }).filter(function (s) {
      if (!s || seen[s]) { return false; }
      seen[s] = true;
      return true;
    });
  }

  function message(name, values) {
    var text = status.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
    return text;
  }

  var slugs = requested();
  if (slugs.length === 0) { status.textContent = message("vide"); return; }

  fetch(root.getAttribute("data-fiches"))
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      var shown = 0;
      var unknown = [];
      var range = document.createRange();
      range.selectNodeContents(target);
      slugs.forEach(function (slug) {
        var sheet = Object.prototype.hasOwnProperty.call(data.fiches, slug) ? data.fiches[slug] : null;
        if (!sheet) { unknown.push(slug); return; }
        target.appendChild(range.createContextualFragment(sheet.html));
        shown += 1;
      });
      var text = shown === 1 ? message("compte-un") : message("compte", { n: shown });
      if (unknown.length) { text += " " + message("inconnues", { liste: unknown.join(", ") }); }
      status.textContent = text;
      button.hidden = shown === 0;
      button.addEventListener("click", function () { window.print(); });
    })
    .catch(function () { status.textContent = message("erreur"); });
})();
