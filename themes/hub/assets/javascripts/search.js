// The search page (search.html loads this file), over Pagefind's JS API: pagefind.js, its
// WebAssembly, the index entry, filter and index chunks and the fragments of shown results.
// The page keeps its state in the URL (?q=visa&country=Singapore&topic=...), so a
// results page can be shared and reloaded. Facets: OR within one facet, AND across facets;
// a facet's counts ignore its own selection, so a second value can still be added.
(function () {
  "use strict";

  var FACETS = ["type", "topic", "country", "language", "role", "audience"];
  var PAGE_SIZE = 10;
  var COLLAPSE_AFTER = 8;
  var DEBOUNCE_MS = 180;

  // UI strings by <html lang>; values with {one, other} are plural forms (Intl.PluralRules).
  var STRINGS = {
    en: {
      filters: "Filters",
      filtersActive: { one: "Filters (1 active)", other: "Filters ({n} active)" },
      facet: { type: "Type", topic: "Topic", country: "Country", language: "Language", role: "Role", audience: "Audience" },
      types: { Article: "Article", Story: "Partner story", Person: "Person", Page: "Page" },
      hint: "Type a word to search articles, partner stories and people.",
      results: { one: "1 result for “{q}”", other: "{n} results for “{q}”" },
      none: "No results for “{q}”. Try another word or fewer filters.",
      filtered: { one: "1 result", other: "{n} results" },
      filteredNone: "No results with these filters.",
      more: "Show more results",
      showAll: "Show all ({n})",
      showFewer: "Show fewer",
      clear: "Clear filters",
      error: "Search could not load. Check your connection and try again."
    },
    fr: {
      filters: "Filtres",
      filtersActive: { one: "Filtres (1 actif)", other: "Filtres ({n} actifs)" },
      facet: { type: "Type", topic: "Thème", country: "Pays", language: "Langue", role: "Rôle", audience: "Public" },
      types: { Article: "Article", Story: "Témoignage", Person: "Personne", Page: "Page" },
      hint: "Saisissez un mot pour chercher parmi les articles, les témoignages et les personnes.",
      results: { one: "1 résultat pour « {q} »", other: "{n} résultats pour « {q} »" },
      none: "Aucun résultat pour « {q} ». Essayez un autre mot ou moins de filtres.",
      filtered: { one: "1 résultat", other: "{n} résultats" },
      filteredNone: "Aucun résultat avec ces filtres.",
      more: "Afficher plus de résultats",
      showAll: "Tout afficher ({n})",
      showFewer: "Afficher moins",
      clear: "Effacer les filtres",
      error: "La recherche n’a pas pu se charger. Vérifiez votre connexion et réessayez."
    },
    de: {
      filters: "Filter",
      filtersActive: { one: "Filter (1 aktiv)", other: "Filter ({n} aktiv)" },
      facet: { type: "Art", topic: "Thema", country: "Land", language: "Sprache", role: "Rolle", audience: "Zielgruppe" },
      types: { Article: "Artikel", Story: "Erfahrungsbericht", Person: "Person", Page: "Seite" },
      hint: "Geben Sie ein Wort ein, um Artikel, Erfahrungsberichte und Personen zu durchsuchen.",
      results: { one: "1 Ergebnis für „{q}“", other: "{n} Ergebnisse für „{q}“" },
      none: "Keine Ergebnisse für „{q}“. Versuchen Sie ein anderes Wort oder weniger Filter.",
      filtered: { one: "1 Ergebnis", other: "{n} Ergebnisse" },
      filteredNone: "Keine Ergebnisse mit diesen Filtern.",
      more: "Weitere Ergebnisse anzeigen",
      showAll: "Alle anzeigen ({n})",
      showFewer: "Weniger anzeigen",
      clear: "Filter zurücksetzen",
      error: "Die Suche konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut."
    },
    es: {
      filters: "Filtros",
      filtersActive: { one: "Filtros (1 activo)", other: "Filtros ({n} activos)" },
      facet: { type: "Tipo", topic: "Tema", country: "País", language: "Idioma", role: "Función", audience: "Público" },
      types: { Article: "Artículo", Story: "Testimonio", Person: "Persona", Page: "Página" },
      hint: "Escriba una palabra para buscar artículos, testimonios y personas.",
      results: { one: "1 resultado para «{q}»", other: "{n} resultados para «{q}»" },
      none: "No hay resultados para «{q}». Pruebe otra palabra o menos filtros.",
      filtered: { one: "1 resultado", other: "{n} resultados" },
      filteredNone: "No hay resultados con estos filtros.",
      more: "Mostrar más resultados",
      showAll: "Mostrar todo ({n})",
      showFewer: "Mostrar menos",
      clear: "Borrar filtros",
      error: "No se pudo cargar la búsqueda. Compruebe su conexión e inténtelo de nuevo."
    }
  };

  var lang = (document.documentElement.lang || "en").toLowerCase();
  var strings = STRINGS[lang] || STRINGS[lang.split("-")[0]] || STRINGS.en;
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

  function t(key, values) {
    var text = strings[key] !== undefined ? strings[key] : STRINGS.en[key];
    values = values || {};
    if (typeof text === "object") {
      var form = plurals ? plurals.select(values.n) : values.n === 1 ? "one" : "other";
      text = text[form] || text.other;
    }
    return text.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is page text with < and > escaped and <mark> around matches: build it
  // from text nodes so that nothing else in it can become markup.
  function highlighted(excerpt) {
    var node = element("p", "hub-result__excerpt");
    var marked = false;
    excerpt.split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) {
        var text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        node.appendChild(marked ? element("mark", null, text) : document.createTextNode(text));
      }
    });
    return node;
  }

  function formatDate(iso) {
    var date = new Date(iso + "T12:00:00");
    if (isNaN(date.getTime())) return iso;
    try {
      return new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric" }).format(date);
    } catch (error) {
      return iso;
    }
  }

  function SearchPage(root) {
    this.root = root;
    this.bundle = new URL(root.getAttribute("data-bundle") || "/pagefind/", document.baseURI).href;
    this.form = root.querySelector(".hub-search__form");
    this.input = document.getElementById("hub-search-q");
    this.status = document.getElementById("hub-search-status");
    this.list = document.getElementById("hub-search-results");
    this.more = document.getElementById("hub-search-more");
    this.details = document.getElementById("hub-search-filters");
    this.summary = this.details.querySelector("summary");
    this.facetBox = document.getElementById("hub-search-facets");
    this.facets = {};
    this.sequence = 0;
    this.results = [];
    this.shown = 0;
    this.timer = null;
    this.pagefind = null;
    this.completed = 0;
    this.state = this.readUrl();
  }

  SearchPage.prototype.readUrl = function () {
    var params = new URLSearchParams(location.search);
    var state = { q: (params.get("q") || "").trim(), filters: {} };
    FACETS.forEach(function (facet) {
      var values = params.getAll(facet).filter(Boolean);
      if (values.length) state.filters[facet] = values;
    });
    return state;
  };

  SearchPage.prototype.writeUrl = function () {
    var params = new URLSearchParams();
    var state = this.state;
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (facet) {
      (state.filters[facet] || []).forEach(function (value) { params.append(facet, value); });
    });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  };

  SearchPage.prototype.activeCount = function () {
    var filters = this.state.filters;
    return Object.keys(filters).reduce(function (sum, facet) { return sum + filters[facet].length; }, 0);
  };

  SearchPage.prototype.load = function () {
    if (!this.pagefind) {
      var bundle = this.bundle;
      this.pagefind = import(bundle + "pagefind.js").then(function (pagefind) {
        // noWorker: Pagefind's web worker is a second copy of its library (40 KB, 12 KB
        // gzipped); searching a hub-sized index on the main thread takes milliseconds.
        var options = { excerptLength: 24, noWorker: true };
        return pagefind.options(Object.assign({ basePath: bundle }, options))
          .then(function () { return pagefind.init(); })
          // A large hub's index comes in shards (pagefind/shards.json): search them all as one.
          .then(function () { return fetch(bundle + "shards.json"); })
          .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
          .then(function (listed) {
            return Promise.all((listed.shards || []).map(function (shard) {
              return pagefind.mergeIndex(new URL(shard, bundle).href, options);
            }));
          })
          // Search results count only the facets whose chunks are loaded: load them all.
          .then(function () { return pagefind.filters(); })
          .then(function () { return pagefind; });
      });
      var self = this;
      this.pagefind.catch(function () { self.pagefind = null; });
    }
    return this.pagefind;
  };

  SearchPage.prototype.start = function () {
    var self = this;
    this.input.value = this.state.q;
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.update(self.input.value); }, DEBOUNCE_MS);
    });
    this.input.addEventListener("focus", function () { self.load(); }, { once: true });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(self.timer);
      self.update(self.input.value);
    });
    this.facetBox.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") return;
      var values = (self.state.filters[box.name] || []).filter(function (v) { return v !== box.value; });
      if (box.checked) values.push(box.value);
      if (values.length) self.state.filters[box.name] = values;
      else delete self.state.filters[box.name];
      self.writeUrl();
      self.run();
    });
    this.more.textContent = t("more");
    this.more.addEventListener("click", function () { self.showMore(self.sequence, true); });
    // Focus the box with the caret at the end, so typing goes on where the header box left off.
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    if (this.state.q || this.activeCount()) this.run();
    else this.status.textContent = t("hint");
  };

  SearchPage.prototype.update = function (value) {
    var q = value.trim();
    if (q === this.state.q && this.list.childElementCount) return;
    this.state.q = q;
    this.writeUrl();
    this.run();
  };

  // Pagefind filter object for every facet with a selection, optionally leaving one out.
  SearchPage.prototype.filtersExcept = function (skip) {
    var filters = {};
    var chosen = this.state.filters;
    Object.keys(chosen).forEach(function (facet) {
      if (facet !== skip) filters[facet] = { any: chosen[facet].slice() };
    });
    return filters;
  };

  SearchPage.prototype.run = function () {
    var self = this;
    var id = ++this.sequence;
    var term = this.state.q || null;
    this.list.setAttribute("aria-busy", "true");
    if (!term && !this.activeCount()) {
      this.results = [];
      this.list.textContent = "";
      this.more.hidden = true;
      this.details.hidden = true;
      this.status.textContent = t("hint");
      this.done();
      return Promise.resolve();
    }
    return this.load().then(function (pagefind) {
      var selected = Object.keys(self.state.filters);
      var searches = [pagefind.search(term, { filters: self.filtersExcept(null) })];
      selected.forEach(function (facet) {
        searches.push(pagefind.search(term, { filters: self.filtersExcept(facet) }));
      });
      return Promise.all(searches).then(function (found) {
        if (id !== self.sequence || !found[0]) return;
        var counts = Object.assign({}, found[0].filters);
        selected.forEach(function (facet, index) {
          if (found[index + 1]) counts[facet] = found[index + 1].filters[facet] || {};
        });
        self.results = found[0].results;
        self.shown = 0;
        self.renderFacets(counts);
        return self.showMore(id, false).then(function () {
          if (id === self.sequence) {
            self.announce();
            self.done();
          }
        });
      });
    }).catch(function (error) {
      if (id !== self.sequence) return;
      self.status.textContent = t("error");
      self.done();
      if (window.console) console.error(error);
    });
  };

  // Marks the end of a search: the list is no longer busy; data-completed counts searches.
  SearchPage.prototype.done = function () {
    this.list.setAttribute("aria-busy", "false");
    this.completed += 1;
    this.root.setAttribute("data-completed", String(this.completed));
  };

  SearchPage.prototype.announce = function () {
    var n = this.results.length;
    var q = this.state.q;
    if (q) this.status.textContent = n ? t("results", { n: n, q: q }) : t("none", { q: q });
    else this.status.textContent = n ? t("filtered", { n: n }) : t("filteredNone");
  };

  SearchPage.prototype.showMore = function (id, moveFocus) {
    var self = this;
    var slice = this.results.slice(this.shown, this.shown + PAGE_SIZE);
    return Promise.all(slice.map(function (result) { return result.data(); })).then(function (pages) {
      if (id !== self.sequence) return;
      if (self.shown === 0) self.list.textContent = "";
      var first = null;
      pages.forEach(function (data) {
        var item = self.resultItem(data);
        if (!first) first = item.querySelector("a");
        self.list.appendChild(item);
      });
      self.shown += slice.length;
      self.more.hidden = self.shown >= self.results.length;
      if (moveFocus && first) first.focus();
    });
  };

  SearchPage.prototype.resultItem = function (data) {
    var meta = data.meta || {};
    var filters = data.filters || {};
    var item = element("li", "hub-result");
    var kind = (filters.type || [])[0];
    var line = [];
    if (kind) line.push((strings.types && strings.types[kind]) || kind);
    if (meta.date) line.push(formatDate(meta.date));
    if (line.length) item.appendChild(element("p", "hub-result__meta", line.join(" · ")));
    var heading = element("h2", "hub-result__title");
    var link = element("a", null, meta.title || data.url);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    item.appendChild(highlighted(data.excerpt || ""));
    var where = (filters.country || []).slice(0, 3).concat((filters.topic || []).slice(0, 2));
    if (where.length) item.appendChild(element("p", "hub-result__facets", where.join(" · ")));
    return item;
  };

  SearchPage.prototype.facet = function (name) {
    if (this.facets[name]) return this.facets[name];
    var set = element("fieldset", "hub-facet");
    set.appendChild(element("legend", "hub-facet__legend", (strings.facet || STRINGS.en.facet)[name] || name));
    var list = element("ul", "hub-facet__values");
    set.appendChild(list);
    var toggle = element("button", "hub-facet__toggle");
    toggle.type = "button";
    toggle.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    set.appendChild(toggle);
    var facet = { name: name, set: set, list: list, toggle: toggle, values: {}, expanded: false };
    var self = this;
    toggle.addEventListener("click", function () {
      facet.expanded = !facet.expanded;
      self.layoutFacet(facet);
    });
    this.facets[name] = facet;
    return facet;
  };

  SearchPage.prototype.valueRow = function (facet, value) {
    if (facet.values[value]) return facet.values[value];
    var li = element("li", "hub-facet__value");
    li.setAttribute("data-value", value);
    var label = element("label");
    var box = element("input");
    box.type = "checkbox";
    box.name = facet.name;
    box.value = value;
    var count = element("span", "hub-facet__count");
    count.setAttribute("aria-hidden", "true");
    var spoken = element("span", "hub-sr-only");
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + value + " "));
    label.appendChild(count);
    label.appendChild(spoken);
    li.appendChild(label);
    var row = { li: li, box: box, count: count, spoken: spoken, value: value, n: 0 };
    facet.values[value] = row;
    return row;
  };

  SearchPage.prototype.renderFacets = function (counts) {
    var self = this;
    var any = false;
    var fragment = document.createDocumentFragment();
    FACETS.forEach(function (name) {
      var values = counts[name];
      if (!values || !Object.keys(values).length) {
        if (self.facets[name]) self.facets[name].set.hidden = true;
        return;
      }
      var facet = self.facet(name);
      var chosen = self.state.filters[name] || [];
      Object.keys(values).sort(function (a, b) { return a.localeCompare(b, lang); }).forEach(function (value) {
        var row = self.valueRow(facet, value);
        facet.list.appendChild(row.li);
      });
      chosen.forEach(function (value) { self.valueRow(facet, value); });
      Object.keys(facet.values).forEach(function (value) {
        var row = facet.values[value];
        row.n = values[value] || 0;
        row.box.checked = chosen.indexOf(value) !== -1;
        row.count.textContent = String(row.n);
        row.spoken.textContent = "(" + t("filtered", { n: row.n }) + ")";
        if (!row.li.parentNode) facet.list.appendChild(row.li);
      });
      self.layoutFacet(facet);
      any = any || !facet.set.hidden;
      fragment.appendChild(facet.set);
    });
    this.facetBox.appendChild(fragment);
    this.renderClear();
    if (any && this.details.hidden) {
      this.details.hidden = false;
      if (window.matchMedia && matchMedia("(min-width: 60em)").matches) this.details.open = true;
    }
    var active = this.activeCount();
    this.summary.textContent = active ? t("filtersActive", { n: active }) : t("filters");
  };

  // Hide values with no results (unless chosen) and fold long facets behind a toggle.
  SearchPage.prototype.layoutFacet = function (facet) {
    var rows = Array.prototype.map.call(facet.list.children, function (li) { return facet.values[li.getAttribute("data-value")]; });
    var useful = rows.filter(function (row) { return row.n > 0 || row.box.checked; });
    var fold = useful.length > COLLAPSE_AFTER + 2;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = row.n > 0 || row.box.checked;
      if (visible && fold && !facet.expanded && !row.box.checked && shown >= COLLAPSE_AFTER) visible = false;
      if (visible) shown += 1;
      row.li.hidden = !visible;
    });
    facet.toggle.hidden = !fold;
    facet.toggle.setAttribute("aria-expanded", facet.expanded ? "true" : "false");
    facet.toggle.textContent = facet.expanded ? t("showFewer") : t("showAll", { n: useful.length });
    facet.set.hidden = useful.length === 0;
  };

  SearchPage.prototype.renderClear = function () {
    var self = this;
    if (!this.clear) {
      this.clear = element("button", "md-button hub-search__clear", t("clear"));
      this.clear.type = "button";
      this.clear.addEventListener("click", function () {
        self.state.filters = {};
        self.writeUrl();
        self.run();
        self.input.focus();
      });
    }
    this.facetBox.appendChild(this.clear);
    this.clear.hidden = this.activeCount() === 0;
  };

  var root = document.getElementById("hub-search");
  if (root && window.URLSearchParams && window.history) new SearchPage(root).start();
})();
