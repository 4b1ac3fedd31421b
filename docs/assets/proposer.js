/* The contribution form (/contribuer/proposer/): builds the practice file from the fields and
   validates it live against the published JSON Schema (Ajv, served from this site).
   Choices, labels and section titles come from the page (generated from the schema and the
   vocabularies), never from this script. */
(function () {
  "use strict";

  /* Same rule as recueil.collection.slugify: accents dropped, œ → oe, any other character
     separates words, words cut at `max` characters on a word boundary. */
  function slugify(text, max) {
    max = max || 80;
    var decomposed = text.replace(/œ/g, "oe").replace(/Œ/g, "Oe").normalize("NFKD");
    var ascii = "";
    for (var i = 0; i < decomposed.length; i++) {
      var ch = decomposed[i];
      if (ch.charCodeAt(0) < 128) ascii += ch;
      else if (!/\p{M}/u.test(ch)) ascii += " ";
    }
    var words = ascii.toLowerCase().match(/[a-z0-9]+/g) || [];
    var slug = "";
    for (var w = 0; w < words.length; w++) {
      var candidate = slug ? slug + "-" + words[w] : words[w];
      if (candidate.length > max) break;
      slug = candidate;
    }
    return slug || (words.length ? words[0].slice(0, max) : "");
  }
  window.recueilSlugify = slugify;

  var form = document.getElementById("rc-proposer");
  var dataNode = document.getElementById("rc-proposer-donnees");
  if (!form || !dataNode) return;
  var config = JSON.parse(dataNode.textContent);
  var output = document.getElementById("rc-fichier");
  var fileName = document.getElementById("rc-nom-fichier");
  var status = document.getElementById("rc-etat");
  var openLink = document.getElementById("rc-ouvrir");
  var validate = null;
  var showAll = false;
  var touched = {};
  var current = { text: "", slug: "", errors: {} };

  function value(id) {
    var node = document.getElementById(id);
    return node ? node.value.replace(/\r\n?/g, "\n").trim() : "";
  }

  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (input) { return input.value; });
  }

  function rows(prefix, keys, count) {
    var result = [];
    for (var row = 0; row < count; row++) {
      var item = {};
      keys.forEach(function (key) {
        var text = value("champ-" + prefix + "-" + row + "-" + key);
        if (text) item[key] = key === "annee" && /^[0-9]+$/.test(text) ? Number(text) : text;
      });
      if (Object.keys(item).length) result.push(item);
    }
    return result;
  }

  function countRows(prefix) {
    return form.querySelectorAll('[id^="champ-' + prefix + '-"][id$="-' + (prefix === "sources" ? "titre" : "collectivite") + '"]').length;
  }

  function list(id) {
    return value(id).split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  /* The front matter as data, in the schema's key order; empty fields are left out so that
     the schema reports them as missing. */
  function frontMatter() {
    var data = {};
    var titre = value("champ-titre").replace(/\s+/g, " ");
    if (titre) data.titre = titre;
    var resume = value("champ-resume").replace(/\s+/g, " ");
    if (resume) data.resume = resume;
    config.choix.forEach(function (key) {
      var chosen = checked(key);
      if (!chosen.length) return;
      data[key] = config.uniques.indexOf(key) >= 0 ? chosen[0] : chosen;
    });
    var exemples = rows("exemples", ["collectivite", "departement", "annee", "source"], countRows("exemples"));
    if (exemples.length) data.exemples = exemples;
    var sources = rows("sources", ["titre", "editeur", "url", "date"], countRows("sources"));
    if (sources.length) data.sources = sources;
    var liens = list("champ-liens");
    if (liens.length) data.liens = liens;
    var mots = list("champ-mots_cles").map(function (s) { return s.toLowerCase(); });
    if (mots.length) data.mots_cles = mots;
    var today = new Date();
    data.publie_le = [today.getFullYear(), String(today.getMonth() + 1).padStart(2, "0"),
      String(today.getDate()).padStart(2, "0")].join("-");
    return data;
  }

  /* YAML written with JSON strings as scalars: a JSON string is a valid YAML double-quoted
     scalar, so no user text can change the structure. Vocabulary ids are written bare. */
  function scalar(key, item) {
    if (typeof item === "number") return String(item);
    if (config.choix.indexOf(key) >= 0 || key === "publie_le" || key === "liens") return item;
    return JSON.stringify(item);
  }

  function toYaml(data) {
    var lines = [];
    Object.keys(data).forEach(function (key) {
      var item = data[key];
      if (!Array.isArray(item)) {
        lines.push(key + ": " + scalar(key, item));
      } else if (typeof item[0] !== "object") {
        lines.push(key + ": [" + item.map(function (v) { return scalar(key, v); }).join(", ") + "]");
      } else {
        lines.push(key + ":");
        item.forEach(function (entry) {
          Object.keys(entry).forEach(function (sub, index) {
            lines.push((index === 0 ? "  - " : "    ") + sub + ": " + scalar(sub, entry[sub]));
          });
        });
      }
    });
    return lines.join("\n");
  }

  function sectionsText() {
    var parts = [];
    config.sections.forEach(function (section, index) {
      var text = value("champ-section-" + index);
      if (text || section.obligatoire) parts.push("## " + section.titre + "\n\n" + text + "\n");
    });
    return parts.join("\n");
  }

  function message(error) {
    var p = error.params || {};
    var path = error.instancePath.split("/").filter(Boolean);
    var last = path.length ? path[path.length - 1] : p.missingProperty;
    switch (error.keyword) {
      case "required": return "Ce champ est obligatoire.";
      case "minLength": return "Trop court : au moins " + p.limit + " caractères.";
      case "maxLength": return "Trop long : au plus " + p.limit + " caractères.";
      case "minItems": return p.limit > 1 ? "Choisissez au moins " + p.limit + " valeurs." : "Choisissez au moins une valeur.";
      case "maxItems": return "Choisissez au plus " + p.limit + " valeurs.";
      case "uniqueItems": return "Une valeur est répétée.";
      case "minimum": case "maximum": return "Année invalide.";
      case "pattern":
        if (last === "url" || last === "source") return "Adresse invalide : elle doit commencer par https:// et ne contenir aucun espace.";
        if (last === "date") return "Date invalide : AAAA, AAAA-MM ou AAAA-MM-JJ.";
        if (last === "departement") return "Code de département invalide : code INSEE, par exemple 29, 2A ou 971.";
        if (path[0] === "mots_cles") return "Mot-clé invalide : lettres, chiffres, espaces, tirets et apostrophes seulement.";
        if (path[0] === "liens") return "Identifiant invalide : minuscules sans accents, chiffres et tirets.";
        return "Valeur mal formée.";
      default: return "Valeur invalide.";
    }
  }

  /* Where an error is shown: the deepest element of its path that has an error slot. */
  function slot(error) {
    var path = error.instancePath.split("/").filter(Boolean);
    if (error.keyword === "required") path.push(error.params.missingProperty);
    for (var end = path.length; end > 0; end--) {
      var key = path.slice(0, end).join("-");
      if (document.getElementById("erreur-" + key)) return key;
    }
    return null;
  }

  /* The checker's personal-data rules (recueil.safety), received with the page. */
  var patterns = config.donneesPersonnelles;
  function personalData(text) {
    var emails = text.match(new RegExp(patterns.email, "g")) || [];
    var generic = new RegExp(patterns.generic_mailbox, "i");
    var named = emails.filter(function (address) { return !generic.test(address.split("@")[0]); });
    if (named.length) {
      return "Adresse électronique nominative « " + named[0] + " » : donnée personnelle interdite ; " +
        "indiquez un contact générique de l'institution (contact@…, accueil@…).";
    }
    if (new RegExp(patterns.mobile).test(text)) {
      return "Numéro de téléphone portable : donnée personnelle interdite ; indiquez un numéro d'accueil.";
    }
    return null;
  }

  function collectErrors(data, body) {
    var errors = {};
    if (validate && !validate(data)) {
      validate.errors.forEach(function (error) {
        var key = slot(error);
        if (!key || errors[key]) return;
        var node = document.getElementById("champ-" + key);
        var choice = node && node.classList.contains("rc-choix") && error.keyword === "required";
        errors[key] = choice ? (config.uniques.indexOf(key) >= 0 ? "Choisissez une valeur." : "Choisissez au moins une valeur.")
          : message(error);
      });
    }
    config.sections.forEach(function (section, index) {
      if (section.obligatoire && !value("champ-section-" + index)) errors["section-" + index] = "Cette section est obligatoire.";
    });
    form.querySelectorAll("input[type=text], input[type=url], textarea").forEach(function (node) {
      var key = node.id.replace(/^champ-/, "");
      var personal = personalData(node.value);
      if (personal) errors[key] = personal;
      else if (node.value.indexOf(config.marqueur) >= 0) errors[key] = "Remplacez le texte « " + config.marqueur + " … ».";
    });
    return errors;
  }

  function fieldsOf(key) {
    var node = document.getElementById("champ-" + key);
    if (!node) return [];
    return node.tagName === "FIELDSET" ? Array.prototype.slice.call(node.querySelectorAll(":scope > .rc-option input")) : [node];
  }

  function show(errors) {
    form.querySelectorAll(".rc-erreur").forEach(function (slotNode) {
      var key = slotNode.id.replace(/^erreur-/, "");
      var visible = Boolean(errors[key]) && (showAll || touched[key] === true);
      slotNode.textContent = visible ? errors[key] : "";
      slotNode.hidden = !visible;
      fieldsOf(key).forEach(function (field) {
        if (visible) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      });
    });
  }

  function update() {
    var data = frontMatter();
    var body = sectionsText();
    current.slug = slugify(data.titre || "");
    current.text = "---\n" + toYaml(data) + "\n---\n\n" + body;
    current.errors = collectErrors(data, body);
    output.value = current.text;
    fileName.textContent = config.dossier + "/" + (current.slug || "…") + ".md";
    if (openLink) {
      openLink.href = config.nouvelleFiche + "?filename=" + encodeURIComponent(config.dossier + "/" + current.slug + ".md") +
        "&value=" + encodeURIComponent(current.text);
    }
    show(current.errors);
  }

  /* Every action first checks the whole form; if anything is wrong the file is refused, the
     messages appear next to the fields and the focus goes to the first one. */
  function ready() {
    showAll = true;
    update();
    var keys = Object.keys(current.errors);
    if (!validate) {
      status.textContent = "Le schéma de validation n'a pas pu être chargé : rechargez la page.";
      return false;
    }
    if (!keys.length) return true;
    status.textContent = keys.length + " champ(s) à corriger : voir les messages sous les champs.";
    var first = form.querySelector(".rc-erreur:not([hidden])");
    var field = first && fieldsOf(first.id.replace(/^erreur-/, ""))[0];
    if (field) field.focus();
    return false;
  }

  /* A field's message appears once the field has been used (typed in, ticked or left). */
  function touch(event) {
    var target = event.target;
    touched[target.type === "checkbox" || target.type === "radio" ? target.name : target.id.replace(/^champ-/, "")] = true;
    update();
  }
  form.addEventListener("input", touch);
  form.addEventListener("change", touch);
  form.addEventListener("focusout", touch);

  document.getElementById("rc-telecharger").addEventListener("click", function () {
    if (!ready()) return;
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([current.text], { type: "text/markdown;charset=utf-8" }));
    link.download = current.slug + ".md";
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = "Fichier " + current.slug + ".md téléchargé.";
  });

  document.getElementById("rc-copier").addEventListener("click", function () {
    if (!ready()) return;
    navigator.clipboard.writeText(current.text).then(function () {
      status.textContent = "Contenu copié : collez-le dans un nouveau fichier " + config.dossier + "/" + current.slug + ".md.";
    }, function () {
      output.select();
      status.textContent = "Copie automatique impossible : le contenu est sélectionné, copiez-le (Ctrl+C).";
    });
  });

  if (openLink) {
    openLink.addEventListener("click", function (event) {
      if (!ready()) event.preventDefault();
    });
  }

  var Ajv = window.ajv2020 && (window.ajv2020.default || window.ajv2020);
  // The date format is checked by the schema's pattern; Ajv's formats are a separate package.
  fetch(config.schema).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (schema) {
    validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    form.dataset.pret = "oui";
    update();
  }).catch(function () {
    status.textContent = "Le schéma de validation n'a pas pu être chargé : rechargez la page.";
  });
  update();
})();
