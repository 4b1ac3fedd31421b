/* Recueil explorer: facets over the cards already in the page, state kept in the URL.
   Progressive enhancement: without this script (or if filtre.json cannot be read) the page
   lists every practice. Labels and values come from filtre.json, generated from the vocabularies. */
(function () {
  "use strict";

  var PAGE_SIZE = 50;
  // The free text is "texte" in the URL: Material's search claims "q" and would open its own search.
  var root = document.querySelector(".rc-explorateur");
  if (!root) return;
  // Without the script's data the static list stays, and the space kept for the filters is given back.
  function giveUp() { root.classList.add("rc-explorateur--statique"); }
  if (!window.fetch || !window.history || !window.URLSearchParams) { giveUp(); return; }

  var form = document.getElementById("rc-filtres");
  var facetBox = document.getElementById("rc-facettes");
  var textInput = document.getElementById("rc-texte");
  var sortSelect = document.getElementById("rc-tri");
  var status = document.getElementById("rc-statut");
  var more = document.getElementById("rc-plus");
  var printLink = document.getElementById("rc-imprimer");
  var printBase = printLink ? printLink.getAttribute("href") : "";
  var cardList = document.querySelector("#rc-liste .rc-cartes");
  var cards = cardList ? Array.prototype.slice.call(cardList.children) : [];

  var data, facets, searchable = null, shown = PAGE_SIZE, lastResult = [], typing = false;

  function fold(text) {
    // Accent- and case-insensitive comparison: « Sécurité » matches « securite ».
    return text.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function searchableText() {
    if (!searchable) {
      searchable = cards.map(function (card) {
        var title = card.querySelector(".rc-carte__titre");
        var summary = card.querySelector(".rc-carte__resume");
        return fold((title ? title.textContent : "") + " " + (summary ? summary.textContent : ""));
      });
    }
    return searchable;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // The facets are in the page already (their place is kept from the first paint): the script binds
  // to them. Null if the page and filtre.json disagree.
  function bindFacets() {
    var wide = window.matchMedia("(min-width: 60em)").matches;
    var bound = data.facettes.map(function (spec, f) {
      var details = facetBox.querySelector('details[data-champ="' + spec.champ + '"]');
      var boxes = details ? details.querySelectorAll("input[type=checkbox]") : [];
      if (boxes.length !== spec.valeurs.length) return null;
      var values = spec.valeurs.map(function (pair, v) {
        var box = boxes[v];
        var count = box.labels && box.labels[0] ? box.labels[0].querySelector(".rc-compte") : null;
        if (box.value !== pair[0] || !count) return null;
        return { id: pair[0], box: box, count: count, line: box.parentNode, shown: -1 };
      });
      if (values.indexOf(null) >= 0) return null;
      // On a narrow screen every facet starts closed, so the results are not pushed far down.
      if (f < 2 && wide) details.open = true;
      var column = data.masques[spec.champ] || data[spec.champ];
      return {
        field: spec.champ, values: values, details: details, isMask: !!data.masques[spec.champ],
        column: column, emptyMatchesAll: !!spec.vide_egale_tous
      };
    });
    return bound.indexOf(null) >= 0 ? null : bound;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return {
      selected: facets.map(function (facet) {
        var wanted = params.getAll(facet.field);
        return facet.values.map(function (value) { return wanted.indexOf(value.id) >= 0; });
      }),
      text: params.get("texte") || "",
      sort: params.get("tri") === "date" ? "date" : "titre"
    };
  }

  function formState() {
    return {
      selected: facets.map(function (facet) {
        return facet.values.map(function (value) { return value.box.checked; });
      }),
      text: textInput.value,
      sort: sortSelect.value
    };
  }

  function applyToForm(state) {
    facets.forEach(function (facet, f) {
      facet.values.forEach(function (value, v) { value.box.checked = state.selected[f][v]; });
      if (state.selected[f].indexOf(true) >= 0) facet.details.open = true;
    });
    textInput.value = state.text;
    sortSelect.value = state.sort;
  }

  function query(state) {
    var params = new URLSearchParams();
    facets.forEach(function (facet, f) {
      facet.values.forEach(function (value, v) { if (state.selected[f][v]) params.append(facet.field, value.id); });
    });
    if (state.text.trim()) params.set("texte", state.text.trim());
    if (state.sort !== "titre") params.set("tri", state.sort);
    var text = params.toString();
    return text ? "?" + text : window.location.pathname;
  }

  // A facet's wanted values: a bit mask for vocabularies, a flag array for keywords; null = no filter.
  function wanted(facet, selection) {
    if (selection.indexOf(true) < 0) return null;
    if (facet.isMask) {
      return selection.reduce(function (mask, on, v) { return on ? mask | (1 << v) : mask; }, 0);
    }
    return selection;
  }

  function passes(facet, want, i) {
    if (want === null) return true;
    var own = facet.column[i];
    if (facet.isMask) return own === 0 ? facet.emptyMatchesAll : (own & want) !== 0;
    for (var k = 0; k < own.length; k++) if (want[own[k]]) return true;
    return false;
  }

  function addCounts(facet, counts, i) {
    var own = facet.column[i];
    if (facet.isMask) {
      if (own === 0 && facet.emptyMatchesAll) {
        for (var a = 0; a < counts.length; a++) counts[a]++;
        return;
      }
      for (var v = 0; own; v++, own >>= 1) if (own & 1) counts[v]++;
    } else {
      for (var k = 0; k < own.length; k++) counts[own[k]]++;
    }
  }

  function update(state) {
    var words = fold(state.text).split(/\s+/).filter(Boolean);
    var texts = words.length ? searchableText() : null;
    var wants = facets.map(function (facet, f) { return wanted(facet, state.selected[f]); });
    var counts = facets.map(function (facet) { return new Array(facet.values.length).fill(0); });
    var result = [];
    for (var i = 0; i < data.nombre; i++) {
      if (texts) {
        var hay = texts[i], w = 0;
        while (w < words.length && hay.indexOf(words[w]) >= 0) w++;
        if (w < words.length) continue;
      }
      // A value's count = the practices it would give, other facets' filters kept (OR within a facet).
      var failed = -1, failures = 0;
      for (var f = 0; f < facets.length && failures < 2; f++) {
        if (!passes(facets[f], wants[f], i)) { failed = f; failures++; }
      }
      if (failures === 0) {
        result.push(i);
        for (var g = 0; g < facets.length; g++) addCounts(facets[g], counts[g], i);
      } else if (failures === 1) {
        addCounts(facets[failed], counts[failed], i);
      }
    }
    if (state.sort === "date") {
      result.sort(function (a, b) { return data.jours[b] - data.jours[a] || a - b; });
    }
    facets.forEach(function (facet, f) {
      facet.values.forEach(function (value, v) {
        var n = counts[f][v];
        if (n === value.shown) return; // untouched nodes cost no style or layout work
        value.shown = n;
        value.count.textContent = "(" + n + ")";
        value.line.classList.toggle("rc-facette__valeur--vide", n === 0);
      });
      facet.values.forEach(function (value) { value.box.disabled = value.shown === 0 && !value.box.checked; });
    });
    lastResult = result;
    render();
    // « Imprimer cette sélection »: the print-ready page of exactly the practices listed now.
    printLink.href = printBase + "?p=" + result.map(function (n) { return cards[n].dataset.slug; }).join(",");
    status.textContent = result.length === data.nombre && !words.length && wants.every(function (x) { return x === null; })
      ? plural(result.length, "pratique publiée", "pratiques publiées")
      : plural(result.length, "pratique correspond", "pratiques correspondent") + " à votre sélection";
  }

  function render() {
    var fragment = document.createDocumentFragment();
    var end = Math.min(shown, lastResult.length);
    for (var n = 0; n < end; n++) fragment.appendChild(cards[lastResult[n]]);
    cardList.replaceChildren(fragment);
    more.hidden = lastResult.length <= shown;
    if (!more.hidden) {
      more.textContent = "Afficher " + Math.min(PAGE_SIZE, lastResult.length - shown) +
        " pratiques de plus (" + shown + " affichées sur " + lastResult.length + ")";
    }
  }

  function changed(push) {
    typing = false;
    shown = PAGE_SIZE;
    var state = formState();
    var url = query(state);
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    update(state);
  }

  function start(json) {
    if (!cardList || json.nombre !== cards.length) { giveUp(); return; } // page and data disagree
    data = json;
    facets = bindFacets();
    if (!facets) { giveUp(); return; }
    applyToForm(readState());
    update(formState());
    form.hidden = false;
    root.classList.add("rc-explorateur--actif");
    document.getElementById("rc-tri-bloc").hidden = false;
    document.getElementById("rc-imprimer-bloc").hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    facetBox.addEventListener("change", function () { changed(true); });
    sortSelect.addEventListener("change", function () { changed(true); });
    // A search is one history step, however many keys it took to type it.
    textInput.addEventListener("input", function () { changed(!typing); typing = true; });
    document.getElementById("rc-effacer").addEventListener("click", function () {
      facets.forEach(function (facet) { facet.values.forEach(function (value) { value.box.checked = false; }); });
      textInput.value = "";
      changed(true);
      textInput.focus();
    });
    more.addEventListener("click", function () {
      var first = shown;
      shown += PAGE_SIZE;
      render();
      // Keyboard and screen reader users continue from the first card just added.
      var link = cards[lastResult[first]].querySelector("a");
      if (link) link.focus();
    });
    window.addEventListener("popstate", function () {
      typing = false;
      shown = PAGE_SIZE;
      applyToForm(readState());
      update(formState());
    });
  }

  fetch(root.getAttribute("data-donnees"))
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(start)
    .catch(giveUp);
})();
