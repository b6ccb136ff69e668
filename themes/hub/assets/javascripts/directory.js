// People directory filters: progressive enhancement over a complete server-rendered list.
// The filter state lives in the URL (?role=coach&country=SG...) so a view can be shared.
(function () {
  "use strict";
  var form = document.getElementById("hub-filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".hub-person"));
  var count = document.getElementById("hub-directory-count");
  var empty = document.getElementById("hub-directory-empty");
  var fields = ["role", "country", "language", "mentoring"];
  var attributes = { role: "roles", country: "countries", language: "languages", mentoring: "mentoring" };

  function wanted() {
    var state = {};
    fields.forEach(function (name) {
      var input = form.elements[name];
      var value = input.type === "checkbox" ? (input.checked ? input.value : "") : input.value;
      if (value) state[name] = value;
    });
    return state;
  }

  function matches(card, state) {
    return Object.keys(state).every(function (name) {
      var values = (card.getAttribute("data-" + attributes[name]) || "").split(" ");
      return values.indexOf(state[name]) !== -1;
    });
  }

  function apply(state, push) {
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card, state);
      card.hidden = !visible;
      if (visible) shown += 1;
    });
    // The wording comes from the page, in its language: "{total} people", "{shown} of {total} people".
    var wording = count.getAttribute(shown === cards.length ? "data-all" : "data-some") || "{shown} / {total}";
    count.textContent = wording.replace("{shown}", shown).replace("{total}", cards.length);
    empty.hidden = shown !== 0;
    if (push) {
      var params = new URLSearchParams(state).toString();
      history.replaceState(null, "", params ? "?" + params : location.pathname);
    }
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var input = form.elements[name];
      var value = params.get(name) || "";
      if (input.type === "checkbox") input.checked = value === input.value;
      else if (Array.prototype.some.call(input.options, function (o) { return o.value === value; })) input.value = value;
    });
  }

  form.hidden = false;
  fromUrl();
  apply(wanted(), false);
  form.addEventListener("change", function () { apply(wanted(), true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(wanted(), true); }, 0); });
})();
