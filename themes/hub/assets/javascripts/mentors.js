// /mentors/: rank the hub's mentors for the answers in the URL fragment.
// The rule (criteria, weights, reason wording) comes from mentors.json, written at build
// time from generator/mentoring/scoring.py; rankOf() below is that module's score() and
// rank() read line for line. tests/cases/mentoring/vectors.json holds the cases both must
// give alike. Answers live only in location.hash: nothing here sends them anywhere.
(function () {
  "use strict";
  var root = document.getElementById("hub-mentors");
  var form = document.getElementById("hub-mentor-form");
  if (!root || !form || !window.fetch) return;
  var ranking = document.getElementById("hub-mentor-ranking");
  var list = document.getElementById("hub-mentor-results");
  var status = document.getElementById("hub-mentor-status");
  var pairing = document.getElementById("hub-mentor-pairing");
  var later = document.getElementById("hub-mentor-later");
  var STAGES = ["before-move", "first-year", "returning"];
  var FORMATS = ["virtual", "in-person"];
  var data = null;

  // Interface text in the page's language, from its data-* attributes (English by default).
  function wording(name, english) {
    return root.getAttribute("data-" + name) || english;
  }

  function codes(value, upper) {
    var seen = [];
    String(value || "").split(",").forEach(function (part) {
      part = part.trim();
      if (part.length !== 2 || !/^[A-Za-z]{2}$/.test(part)) return;
      part = upper ? part.toUpperCase() : part.toLowerCase();
      if (seen.indexOf(part) === -1) seen.push(part);
    });
    return seen;
  }

  function words(value) {
    var seen = [];
    String(value || "").split(",").forEach(function (part) {
      part = part.trim();
      if (part && seen.indexOf(part) === -1) seen.push(part);
    });
    return seen;
  }

  // scoring.parse_fragment
  function parseFragment(fragment) {
    var values = {};
    new URLSearchParams(fragment.replace(/^#/, "")).forEach(function (value, key) {
      values[key] = value; // the last one wins, as in Python's dict(parse_qsl(...))
    });
    var to = codes(values.to, true);
    var origin = codes(values.from, true);
    return {
      role: values.as || "", stage: values.stage || "", to: to[0] || "", origin: origin[0] || "",
      languages: codes(values.languages, false), topics: words(values.topics),
      format: FORMATS.indexOf(values.format) !== -1 ? values.format : "virtual",
      commits: values.commit !== "no", commitGiven: values.commit === "yes" || values.commit === "no"
    };
  }

  function complete(answers, roles) {
    return Object.prototype.hasOwnProperty.call(roles, answers.role) && STAGES.indexOf(answers.stage) !== -1 && answers.to !== "";
  }

  function has(values, value) { return values.indexOf(value) !== -1; }

  function formatsFor(answers, mentor) {
    return FORMATS.filter(function (way) {
      return has(mentor.formats, way) && (way === "virtual" || mentor.location === answers.to);
    });
  }

  function knows(mentor, country) { return country === mentor.location || has(mentor.lived_in, country); }

  // scoring.refusal: true when this mentor cannot take this mentee
  function refused(answers, mentor, roles) {
    if (!answers.commits) return true;
    if (!has(mentor.mentees, roles[answers.role])) return true;
    if (!has(mentor.stages, answers.stage)) return true;
    if (answers.languages.length && !answers.languages.some(function (code) { return has(mentor.languages, code); })) {
      return true;
    }
    return formatsFor(answers, mentor).length === 0;
  }

  // scoring._criteria_met: [criterion, kind of code, code], in the rule's order
  function criteriaMet(answers, mentor) {
    var met = [];
    if (mentor.location === answers.to) met.push(["lives_in_destination", "country", answers.to]);
    else if (has(mentor.lived_in, answers.to)) met.push(["lived_in_destination", "country", answers.to]);
    var shared = answers.languages.filter(function (code) { return has(mentor.languages, code); });
    if (shared.length) {
      met.push([shared[0] === answers.languages[0] ? "first_language" : "other_language", "language", shared[0]]);
    }
    answers.topics.forEach(function (topic) { if (has(mentor.expertise, topic)) met.push(["topic", "topic", topic]); });
    if (answers.origin && answers.origin !== answers.to && knows(mentor, answers.origin)) {
      met.push(["knows_origin", "country", answers.origin]);
    }
    if (answers.format === "in-person" && has(formatsFor(answers, mentor), "in-person")) {
      met.push(["in_person", "country", answers.to]);
    }
    return met;
  }

  function fill(template, kind, code, names) {
    var table = { country: names.countries, language: names.languages, topic: names.topics }[kind] || {};
    return template.split("{" + kind + "}").join(Object.prototype.hasOwnProperty.call(table, code) ? table[code] : code);
  }

  // scoring.rank: eligible mentors, best first, ties by profile id
  function rankOf(answers, payload) {
    var rule = payload.rule;
    var criteria = {};
    rule.criteria.forEach(function (criterion) { criteria[criterion.name] = criterion; });
    var found = [];
    payload.mentors.forEach(function (mentor) {
      if (refused(answers, mentor, rule.roles)) return;
      var score = 0;
      var reasons = criteriaMet(answers, mentor).map(function (met) {
        var criterion = criteria[met[0]];
        score += criterion.weight;
        return fill(criterion.reason, met[1], met[2], payload.names);
      });
      found.push({ mentor: mentor, score: score, reasons: reasons });
    });
    return found.sort(function (a, b) {
      return b.score - a.score || (a.mentor.id < b.mentor.id ? -1 : a.mentor.id > b.mentor.id ? 1 : 0);
    });
  }

  // --- the form and the fragment ---------------------------------------------------------
  function setRadio(name, value) {
    Array.prototype.forEach.call(form.elements[name] || [], function (input) { input.checked = input.value === value; });
  }

  function setSelect(name, value) {
    var select = form.elements[name];
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  function setBoxes(name, values) {
    form.querySelectorAll("input[name='" + name + "']").forEach(function (box) { box.checked = has(values, box.value); });
  }

  function toForm(answers) {
    setRadio("as", answers.role);
    setRadio("stage", answers.stage);
    var answered = answers.commitGiven || answers.to !== "";
    setRadio("commit", answered ? (answers.commits ? "yes" : "no") : "");
    setSelect("to", answers.to);
    setSelect("from", answers.origin);
    setSelect("language", answers.languages[0] || "");
    setBoxes("languages", answers.languages.slice(1));
    setBoxes("topics", answers.topics);
    setRadio("format", answers.format);
  }

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
  }

  function fromForm() {
    var params = [];
    function add(key, value) { if (value) params.push(key + "=" + encodeURIComponent(value).replace(/%2C/g, ",")); }
    add("as", checked("as")[0]);
    add("stage", checked("stage")[0]);
    add("commit", checked("commit")[0] === "no" ? "no" : "");
    var first = form.elements.language.value;
    var languages = (first ? [first] : []).concat(checked("languages").filter(function (c) { return c !== first; }));
    if (checked("commit")[0] === "yes") {
      add("to", form.elements.to.value);
      add("from", form.elements.from.value);
      add("languages", languages.join(","));
      add("topics", checked("topics").join(","));
      add("format", checked("format")[0]);
    }
    return params.join("&");
  }

  // --- showing the ranking -----------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function resultItem(found) {
    var item = element("li", "hub-mentor");
    item.setAttribute("data-person", found.mentor.id);
    item.setAttribute("data-score", String(found.score));
    var heading = element("h3", "hub-mentor__name");
    var link = element("a", "", found.mentor.name);
    link.href = root.getAttribute("data-root") + found.mentor.url;
    heading.appendChild(link);
    item.appendChild(heading);
    item.appendChild(element("p", "hub-mentor__score", wording("score", "Match score {score}").replace("{score}", found.score)));
    if (found.reasons.length) {
      var reasons = element("ul", "hub-mentor__reasons");
      reasons.setAttribute("aria-label", wording("why", "Why {name}").replace("{name}", found.mentor.name));
      found.reasons.forEach(function (reason) { reasons.appendChild(element("li", "", reason)); });
      item.appendChild(reasons);
    }
    return item;
  }

  function show() {
    var answers = parseFragment(location.hash);
    var committed = checked("commit")[0];
    later.hidden = committed !== "no";
    pairing.hidden = committed !== "yes";
    list.textContent = "";
    if (!data || committed !== "yes") {
      ranking.hidden = true;
      return;
    }
    ranking.hidden = false;
    if (!complete(answers, data.rule.roles)) {
      status.textContent = wording("incomplete", "Answer who you are, your stage and the country of your move to see your mentors.");
      return;
    }
    var ranked = rankOf(answers, data);
    ranked.forEach(function (found) { list.appendChild(resultItem(found)); });
    status.textContent = ranked.length === 0
      ? wording("none", "No mentor fits these answers yet. The people directory lists everyone in the hub.")
      : ranked.length === 1
        ? wording("one", "1 mentor fits your answers, best first.")
        : wording("many", "{count} mentors fit your answers, best first.").replace("{count}", ranked.length);
  }

  function onChange() {
    var fragment = fromForm();
    history.replaceState(null, "", fragment ? "#" + fragment : location.pathname + location.search);
    show();
  }

  function start(payload) {
    data = payload;
    document.getElementById("hub-mentor-nojs").hidden = true;
    form.hidden = false;
    toForm(parseFragment(location.hash));
    show();
    form.addEventListener("change", onChange);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", function () { toForm(parseFragment(location.hash)); show(); });
    root.setAttribute("data-ready", "yes");
  }

  fetch(root.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(start)
    .catch(function () {
      var note = document.getElementById("hub-mentor-nojs");
      note.textContent = wording("failed", "The mentors could not be loaded; here is the list of all of them.");
      note.setAttribute("data-failed", "yes");  // hub.css shows the note only with this
      form.setAttribute("data-failed", "yes");
    });
})();
