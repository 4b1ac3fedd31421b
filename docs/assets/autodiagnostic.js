/* Recueil self-assessment: answers kept in this browser only (localStorage), results computed as one
   answers, printed, downloaded as a JSON file (/donnees/autodiagnostic.schema.json) and restored.
   Nothing is ever sent: the only request is donnees.json, beside the page. The computation is the
   same as recueil.autodiagnostic (Python); a test compares both on the same answers.
   Progressive enhancement: without this script the page is a questionnaire to print. */
(function () {
  "use strict";

  var KEY = "recueil-autodiagnostic";
  var PLAN_ANSWERS = { "en-cours": true, "pas-encore": true };
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre"];
  var root = document.getElementById("rc-ad");
  if (!root || !window.fetch || !window.localStorage || !window.JSON) return;

  var tools = document.getElementById("rc-ad-outils");
  var status = document.getElementById("rc-ad-statut");
  var nameInput = document.getElementById("rc-ad-nom");
  var fileInput = document.getElementById("rc-ad-fichier");
  var planList = document.getElementById("rc-ad-plan");
  var results = document.getElementById("resultats");
  var data, effortRank = {}, effortLabels = {}, bySlug = {}, questions = {}, labels = {}, shownPlan = null;
  var state = emptyState();

  function emptyState() {
    return { date: null, collectivite: "", profil: { type: "", taille: "", services: [] }, reponses: {} };
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function frenchDate(iso) {
    var parts = iso.split("-").map(Number);
    return (parts[2] === 1 ? "1er" : parts[2]) + " " + MONTHS[parts[1] - 1] + " " + parts[0];
  }

  function label(input) { return input.parentNode.textContent.trim(); }

  function readLabels(name, inside) {
    // The profile's and the answers' allowed values are the page's own choices (from the vocabularies).
    var values = {};
    (inside || root).querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      values[input.value] = label(input);
    });
    return values;
  }

  function allowed(name) { return labels[name]; }

  function setText(element, text) {
    // Unchanged text is not written again: at 1,000 questions every write costs a layout of the page.
    if (element.textContent !== text) element.textContent = text;
  }

  // Computation (same rules as recueil.autodiagnostic) -----------------------------------------------

  function applies(p, profil) {
    if (profil.type && p.collectivites.length && p.collectivites.indexOf(profil.type) < 0) return false;
    if (profil.services.length && p.services.length &&
        !p.services.some(function (s) { return profil.services.indexOf(s) >= 0; })) return false;
    return true;
  }

  function statusOf(p) {
    if (!applies(p, state.profil)) return "non-applicable";
    return state.reponses[p.slug] || "sans-reponse";
  }

  function compute() {
    var grid = {}, plan = [], excluded = [];
    data.pratiques.forEach(function (p, position) {
      var s = statusOf(p);
      if (s === "non-applicable") excluded.push(p.slug);
      p.themes.forEach(function (t) {
        p.moments.forEach(function (m) {
          var cell = grid[t + "/" + m] || (grid[t + "/" + m] = [0, 0]);
          if (s === "en-place") cell[0] += 1;
          if (s !== "non-applicable" && s !== "non-concerne") cell[1] += 1;
        });
      });
      if (PLAN_ANSWERS[s]) plan.push({ p: p, position: position });
    });
    plan.sort(function (a, b) {
      return ((a.p.nature !== data.obligation[0]) - (b.p.nature !== data.obligation[0])) ||
        (effortRank[a.p.effort] - effortRank[b.p.effort]) || (a.position - b.position);
    });
    return { grille: grid, plan: plan.map(function (item) { return item.p; }), non_applicables: excluded };
  }

  // Display ---------------------------------------------------------------------------------------------

  function showProfileSummary() {
    var parts = [];
    if (state.collectivite) parts.push(state.collectivite);
    if (state.profil.type) parts.push(allowed("type")[state.profil.type]);
    if (state.profil.taille) parts.push(allowed("taille")[state.profil.taille].toLowerCase());
    var services = allowed("services");
    parts.push(state.profil.services.length ? "services exposés : " + state.profil.services.map(function (s) {
      return services[s].toLowerCase();
    }).join(", ") : "tous les services");
    setText(document.getElementById("rc-ad-profil-resume"), "Profil : " + parts.join(" ; ") + ".");
    setText(document.getElementById("rc-ad-date"), "Réponses du " + frenchDate(state.date || today()) + ".");
  }

  function showResults() {
    var computed = compute();
    var exposed = { grille: {}, plan: [], non_applicables: computed.non_applicables };
    root.querySelectorAll("[data-cellule]").forEach(function (td) {
      var cell = computed.grille[td.getAttribute("data-cellule")] || [0, 0];
      exposed.grille[td.getAttribute("data-cellule")] = cell;
      setText(td, cell[1] ? cell[0] + " sur " + cell[1] + " (" + Math.round(100 * cell[0] / cell[1]) + "\u202f%)"
        : "aucune pratique applicable");
    });
    computed.plan.forEach(function (p) { exposed.plan.push(p.slug); });
    results.setAttribute("data-resultats", JSON.stringify(exposed));
    showProfileSummary();
    var planKey = computed.plan.map(function (p) { return p.slug + "=" + state.reponses[p.slug]; }).join(" ");
    if (planKey !== shownPlan) showPlan(computed.plan);
    shownPlan = planKey;
  }

  function showPlan(plan) {
    var items = document.createDocumentFragment();
    var answers = allowed("reponse");
    plan.forEach(function (p) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.titre;
      li.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "rc-ad__meta";
      meta.textContent = (p.nature === data.obligation[0] ? data.obligation[1] + " ; " : "") +
        "effort " + effortLabels[p.effort].toLowerCase() +
        " ; réponse : " + answers[state.reponses[p.slug]].toLowerCase() + (p.recommandations.length
          ? " ; " + (p.recommandations.length === 1 ? "recommandation" : "recommandations") + " : " : "");
      p.recommandations.forEach(function (r, n) {
        var cited = document.createElement("a");
        cited.href = data.page_recommandations + "#" + r[0];
        cited.textContent = r[1];
        if (n) meta.appendChild(document.createTextNode(" ; "));
        meta.appendChild(cited);
      });
      li.appendChild(meta);
      items.appendChild(li);
    });
    planList.textContent = "";
    planList.appendChild(items);
    document.getElementById("rc-ad-plan-intro").textContent = plan.length
      ? plan.length + (plan.length === 1 ? " pratique" : " pratiques") +
        " « en cours » ou « pas encore » en place : les obligations légales d'abord, puis par effort, du plus faible au plus élevé."
      : "Aucune pratique applicable n'est encore marquée « en cours » ou « pas encore ».";
  }

  function showApplicability() {
    data.pratiques.forEach(function (p) {
      var question = questions[p.slug];
      if (!question) return;
      var excluded = !applies(p, state.profil);
      question.classList.toggle("rc-ad__question--na", excluded);
      question.querySelector(".rc-ad__na").hidden = !excluded;
    });
  }

  function showState() {
    nameInput.value = state.collectivite;
    root.querySelectorAll('input[name="type"], input[name="taille"]').forEach(function (input) {
      input.checked = input.value === (state.profil[input.name] || "");
    });
    root.querySelectorAll('input[name="services"]').forEach(function (input) {
      input.checked = state.profil.services.indexOf(input.value) >= 0;
    });
    data.pratiques.forEach(function (p) {
      var question = questions[p.slug];
      if (!question) return;
      question.querySelectorAll("input").forEach(function (input) {
        input.checked = state.reponses[p.slug] === input.value;
      });
    });
    showApplicability();
    showResults();
  }

  // State: reading, saving, the file -------------------------------------------------------------------

  function save() { window.localStorage.setItem(KEY, JSON.stringify(toFile())); }

  function toFile() {
    var file = { version: 1, date: state.date || today() };
    if (state.collectivite) file.collectivite = state.collectivite;
    file.profil = { services: state.profil.services.slice() };
    if (state.profil.type) file.profil.type = state.profil.type;
    if (state.profil.taille) file.profil.taille = state.profil.taille;
    file.reponses = {};
    data.pratiques.forEach(function (p) { if (state.reponses[p.slug]) file.reponses[p.slug] = state.reponses[p.slug]; });
    return file;
  }

  function isPlainObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  function fromFile(file) {
    // The schema's rules, checked by hand: a wrong file is refused whole, with the reason.
    if (!isPlainObject(file) || file.version !== 1) return "ce n'est pas un fichier de réponses (version 1)";
    var keys = { version: 1, date: 1, collectivite: 1, profil: 1, reponses: 1 };
    for (var key in file) if (!keys[key]) return "clé inconnue « " + key + " »";
    if (typeof file.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(file.date)) return "date absente ou mal écrite";
    if ("collectivite" in file && (typeof file.collectivite !== "string" || !file.collectivite ||
        file.collectivite.length > 200)) return "nom de collectivité invalide";
    var profil = file.profil, answers = file.reponses;
    if (!isPlainObject(profil) || !isPlainObject(answers)) return "profil ou réponses manquants";
    for (key in profil) if (key !== "type" && key !== "taille" && key !== "services") return "clé inconnue « " + key + " »";
    if ("type" in profil && !allowed("type")[profil.type]) return "type de collectivité inconnu";
    if ("taille" in profil && !allowed("taille")[profil.taille]) return "taille inconnue";
    var services = profil.services || [];
    var serviceValues = allowed("services");
    if (!Array.isArray(services) || services.some(function (s) { return !serviceValues[s]; })) return "service inconnu";
    var choices = allowed("reponse"), kept = {}, dropped = 0;
    for (var slug in answers) {
      if (!choices[answers[slug]]) return "réponse inconnue pour « " + slug + " »";
      if (bySlug[slug]) kept[slug] = answers[slug]; else dropped += 1;
    }
    state = {
      date: file.date, collectivite: file.collectivite || "",
      profil: { type: profil.type || "", taille: profil.taille || "", services: services.slice() }, reponses: kept
    };
    return dropped;
  }

  function onChange(event) {
    var input = event.target;
    if (input === fileInput) return;
    if (input.name === "type" || input.name === "taille") state.profil[input.name] = input.value;
    else if (input.name === "services") {
      state.profil.services = Array.prototype.filter.call(root.querySelectorAll('input[name="services"]'),
        function (box) { return box.checked; }).map(function (box) { return box.value; });
    } else if (input === nameInput) state.collectivite = nameInput.value.trim();
    else if (input.name.indexOf("r-") === 0) state.reponses[input.name.slice(2)] = input.value;
    else return;
    state.date = today();
    save();
    if (input.name === "type" || input.name === "services") showApplicability();
    showResults();
  }

  function download() {
    var blob = new Blob([JSON.stringify(toFile(), null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "autodiagnostic-" + (state.date || today()) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
    status.textContent = "Fichier téléchargé : " + link.download + ".";
  }

  function restore() {
    var chosen = fileInput.files && fileInput.files[0];
    if (!chosen) return;
    var reader = new FileReader();
    reader.onload = function () {
      var outcome;
      try { outcome = fromFile(JSON.parse(reader.result)); } catch (error) { outcome = "le fichier n'est pas du JSON"; }
      fileInput.value = "";
      if (typeof outcome === "string") {
        status.textContent = "Fichier non repris : " + outcome + ". Vos réponses n'ont pas changé.";
        return;
      }
      save();
      showState();
      status.textContent = "Réponses reprises du fichier " + chosen.name + "." + (outcome
        ? " " + outcome + " réponse(s) à des pratiques retirées du recueil ont été ignorées." : "");
    };
    reader.readAsText(chosen);
  }

  function clear() {
    window.localStorage.removeItem(KEY);
    state = emptyState();
    showState();
    status.textContent = "Vos réponses sont effacées de ce navigateur.";
  }

  function start() {
    root.querySelectorAll(".rc-ad__question").forEach(function (question) {
      questions[question.getAttribute("data-slug")] = question;
    });
    data.pratiques.forEach(function (p) { bySlug[p.slug] = p; });
    data.efforts.forEach(function (pair, rank) { effortRank[pair[0]] = rank; effortLabels[pair[0]] = pair[1]; });
    ["type", "taille", "services"].forEach(function (name) { labels[name] = readLabels(name); });
    var first = root.querySelector(".rc-ad__question");
    labels.reponse = readLabels("r-" + first.getAttribute("data-slug"), first);
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(KEY)); } catch (error) { saved = null; }
    if (saved && typeof fromFile(saved) === "string") state = emptyState();
    root.classList.add("rc-ad--js");
    tools.hidden = false;
    root.addEventListener("change", onChange);
    document.getElementById("rc-ad-telecharger").addEventListener("click", download);
    document.getElementById("rc-ad-effacer").addEventListener("click", clear);
    document.getElementById("rc-ad-imprimer").addEventListener("click", function () { window.print(); });
    fileInput.addEventListener("change", restore);
    showState();
    root.setAttribute("data-pret", "");
  }

  fetch(root.getAttribute("data-donnees"))
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(function (json) { data = json; if (data.pratiques.length) start(); })
    .catch(function () { /* the questionnaire stays usable on paper */ });
})();
