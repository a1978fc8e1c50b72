/*
 * The interactive org chart of one organisation version (templates/centers/chart.html).
 *
 * d3-org-chart draws the tree from the version's flat JSON rows ({id, parentId, ...}). This file adds what
 * the library leaves to its user: cards sized to their text, a details panel with the unit's path to the root
 * highlighted, search (names, heads, posts, holders and tasks) with highlight, units marked at another page's
 * request (?udvalg=), keyboard use (a WAI-ARIA tree with a roving tab stop), touch that leaves vertical swipes
 * to the page, full screen, the chart's state in the URL (?enhed=<unit>&q=<search>), export of what is shown
 * (SVG, PNG) and a print layout. Every user-facing string comes from data-label-* attributes the template
 * translates.
 */
(function () {
  "use strict";

  if (!window.d3 || !window.d3.OrgChart) {
    return;
  }

  const CARD_WIDTH = 260;
  const CARD_TEXT_WIDTH = CARD_WIDTH - 8 - 11 - 10 - 2; // kind stripe, paddings and borders (chart.css)
  const CARD_FONT = '"IBM Plex Sans", "Segoe UI", Arial, sans-serif';
  const NAME_FONT = "700 15px " + CARD_FONT;
  const HEAD_FONT = "14px " + CARD_FONT;
  const MARK_FONT = "600 12.5px " + CARD_FONT;
  const DURATION = 200; // short transitions keep a 5,000-unit chart responsive
  const FEW_CHILDREN = 4; // a root with at most this many children opens two levels deep, else one
  const ANIMATION_LIMIT = 600; // redraws with more cards than this are not animated
  const MAX_HIGHLIGHTS = 250; // a broad search marks (and unfolds to) at most this many units
  const SMALLEST_CARD_TEXT = 12; // px, chart.css: the kind line and the sub-unit count
  const READABLE_SCALE = 11 / SMALLEST_CARD_TEXT; // no card text below 11 px when the chart opens or centres
  const VIRTUAL_ROOT = ":root"; // not a valid unit key, so it never clashes with one
  const PHONE_WIDTH = 640;

  /** Draw the chart of one `[data-org-chart]` element: its tree, cards and controls, all looked up inside it. A
   * page may hold several (the comparison page draws two); only one whose data-sync-url is not "false" keeps its
   * state in the address. */
  function mount(app) {
    const container = app.querySelector(".org-chart");
    const stage = app.querySelector(".chart-stage");
    const panel = app.querySelector(".chart-panel");
    const panelBody = panel && panel.querySelector(".chart-panel-body");
    const searchInput = app.querySelector(".chart-search input");
    const statusLine = app.querySelector(".chart-status");
    const outline = app.querySelector(".chart-outline");
    const english = app.dataset.language === "en";
    const kindLabels = {};
    app.querySelectorAll(".chart-legend [data-kind]").forEach((item) => {
      kindLabels[item.dataset.kind] = item.textContent.trim();
    });
    const kindLabelsElement = app.dataset.kindLabelsId && document.getElementById(app.dataset.kindLabelsId);
    if (kindLabelsElement) {
      Object.assign(kindLabels, JSON.parse(kindLabelsElement.textContent)); // a chart without a legend
    }
    const highlightElement = app.dataset.highlightId && document.getElementById(app.dataset.highlightId);
    const marksElement = app.dataset.marksId && document.getElementById(app.dataset.marksId);
    const marks = marksElement ? JSON.parse(marksElement.textContent) : {}; // unit key -> {mark, text}
    const syncUrl = app.dataset.syncUrl !== "false";
    const requestedHighlight = highlightElement ? JSON.parse(highlightElement.textContent) : null;

    let chart = null;
    const index = new Map(); // unit id -> {unit, parent, children, depth, headTitle, text, extra, height}
    let rootId = null;
    let focusedId = null; // the unit the view is about: kept in ?enhed=
    let panelId = null; // the unit whose details the panel shows
    let query = "";
    let matches = [];
    let matchPosition = -1;
    let expansionBeforeSearch = null;
    let refocusId = null; // give keyboard focus back to this card once the chart has redrawn
    let visibleNodeIds = new Set();
    let searchText = null; // promise of the tasks, posts and holders of every unit, loaded when a search begins
    let touchPanning = false; // on a touch screen one finger pans the chart only after a tap on it

    // ------------------------------------------------------------------ text

    function say(text) {
      if (statusLine) {
        statusLine.textContent = text;
      }
    }

    const labelTexts = new Map(); // the data-label-* attributes, read once: cards ask for some thousands of times

    function label(name, values) {
      let text = labelTexts.get(name);
      if (text === undefined) {
        const key = "label" + name.replace(/(^|-)([a-z])/g, (_, __, letter) => letter.toUpperCase());
        text = app.dataset[key] || "";
        labelTexts.set(name, text);
      }
      Object.entries(values || {}).forEach(([placeholder, value]) => {
        text = text.split("{" + placeholder + "}").join(String(value));
      });
      return text;
    }

    function escapeHtml(value) {
      return String(value == null ? "" : value).replace(/[&<>"']/g, (character) => {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[character];
      });
    }

    function unitName(unit) {
      return (english && unit.nameEn) || unit.name;
    }

    function escapeRegExp(text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }

    /** The head's title as the card shows it: the unit's own name, which titles often repeat, is left out
     * ("Centerchef, Center for Job og Ydelser" on that centre's card reads "Centerchef"). Only a whole name is
     * left out: "Stabschef for Byrådssekretariatet" on Byrådssekretariat's card stays as it is, since cutting
     * the name out of an inflected form would leave "Stabschefet". */
    function shortHeadTitle(unit) {
      const title = (english && unit.headTitleEn) || unit.headTitle;
      const name = unitName(unit);
      if (!title || !name || !endsWithIgnoringCase(title, name)) {
        return title;
      }
      const repeated = new RegExp("(,\\s*|\\s+(?:of the|for|af|i|of)\\s+)" + escapeRegExp(name) + "$", "iu");
      const shortened = title.replace(repeated, "").trim();
      return shortened || title;
    }

    /** Whether `text` ends with `end` in any case: a quick test that spares most units a regular expression,
     * which costs more to build than anything else done for a card. */
    function endsWithIgnoringCase(text, end) {
      if (text.length <= end.length) {
        return false;
      }
      const tail = text.slice(-end.length);
      return tail.toLowerCase() === end.toLowerCase() || tail.toUpperCase() === end.toUpperCase();
    }

    function subunitText(unit) {
      if (!unit.childCount) {
        return "";
      }
      let text = unit.childCount === 1 ? label("subunits-one") : label("subunits-other", { count: unit.childCount });
      if (unit.descendantCount > unit.childCount) {
        text += " · " + label("descendants", { total: unit.descendantCount });
      }
      return text;
    }

    function unitUrl(id) {
      return app.dataset.unitUrl.replace("UNIT_KEY", encodeURIComponent(id));
    }

    function normalise(text) {
      return text.toLocaleLowerCase(english ? "en" : "da").normalize("NFC");
    }

    // ------------------------------------------------------------------ card sizes

    const measure = document.createElement("canvas").getContext("2d");
    let measureFont = null; // setting a canvas font parses it, so it is set only when it changes

    function textWidth(text, font) {
      if (font !== measureFont) {
        measure.font = font;
        measureFont = font;
      }
      return measure.measureText(text).width;
    }

    const characterWidths = new Map(); // font -> character -> width

    /** At least the width of `text`: the widths of its characters one by one, and a pixel each for kerning.
     * Measuring a whole text costs far more than looking up its characters, and most texts are short. Only for
     * Latin letters, which have no wider contextual forms; for anything else it is Infinity, so it is measured. */
    function widthAtMost(text, font) {
      let widths = characterWidths.get(font);
      if (!widths) {
        widths = new Map();
        characterWidths.set(font, widths);
      }
      let total = 0;
      for (const character of text) {
        if (character > "\u024f") {
          return Infinity;
        }
        let width = widths.get(character);
        if (width === undefined) {
          width = textWidth(character, font);
          widths.set(character, width);
        }
        total += width + 1;
      }
      return total;
    }

    /** How many lines `text` takes in a card, wrapped at spaces as the browser wraps it. Most texts fit on one
     * line, which a bound or one measurement shows; only longer ones are measured word by word. */
    function lineCount(text, font) {
      if (!text) {
        return 0;
      }
      const words = text.split(/\s+/);
      const whole = words.join(" ");
      if (widthAtMost(whole, font) <= CARD_TEXT_WIDTH || textWidth(whole, font) <= CARD_TEXT_WIDTH) {
        return 1;
      }
      let lines = 1;
      let line = "";
      words.forEach((word) => {
        const candidate = line ? line + " " + word : word;
        if (line && textWidth(candidate, font) > CARD_TEXT_WIDTH) {
          lines += 1;
          line = word;
        } else {
          line = candidate;
        }
      });
      return lines;
    }

    /** A card is as tall as its text: long names wrap instead of being clipped. */
    function cardHeight(entry) {
      if (entry.height) {
        return entry.height;
      }
      const unit = entry.unit;
      const head = entry.headTitle ? entry.headTitle + ": " + (unit.holder || label("vacant")) : "";
      const height =
        14 + // paddings and borders
        (unit.virtual ? 0 : 16) + // kind
        lineCount(unitName(unit), NAME_FONT) * 18 +
        lineCount(head, HEAD_FONT) * 18 +
        (unit.childCount ? 18 : 0) +
        (marks[unit.id] ? lineCount(marks[unit.id].text, MARK_FONT) * 16 + 2 : 0) +
        6; // the gaps between the lines
      entry.height = Math.max(84, Math.ceil(height));
      return entry.height;
    }

    // ------------------------------------------------------------------ data

    function buildIndex(units) {
      units.forEach((unit) => {
        index.set(unit.id, { unit, parent: null, children: [], depth: 0, text: null, extra: [], headTitle: null });
      });
      const roots = [];
      units.forEach((unit) => {
        const entry = index.get(unit.id);
        const parent = unit.parentId == null ? null : index.get(unit.parentId);
        if (parent) {
          entry.parent = parent;
          parent.children.push(entry);
        } else {
          roots.push(entry);
        }
      });
      if (roots.length === 1) {
        rootId = roots[0].unit.id;
      } else {
        // A version may be a forest; the chart needs one root, so the municipality stands above its trees.
        const unit = {
          id: VIRTUAL_ROOT,
          parentId: null,
          name: app.dataset.municipalityName,
          kind: "unit",
          childCount: roots.length,
          descendantCount: units.length,
          virtual: true,
        };
        const entry = { unit, parent: null, children: roots, depth: -1, text: null, extra: [], headTitle: null };
        roots.forEach((root) => {
          root.parent = entry;
          root.unit.parentId = VIRTUAL_ROOT;
        });
        index.set(VIRTUAL_ROOT, entry);
        units.unshift(unit);
        rootId = VIRTUAL_ROOT;
      }
      // Rows come in tree order (parents first), so one pass sets every depth.
      units.forEach((unit) => {
        const entry = index.get(unit.id);
        if (entry.parent) {
          entry.depth = entry.parent.depth + 1;
        }
        entry.headTitle = shortHeadTitle(unit);
      });
      return units;
    }

    function ownText(entry) {
      const unit = entry.unit;
      return normalise([unit.name, unit.nameEn, unit.headTitle, unit.headTitleEn, unit.holder].filter(Boolean).join("\n"));
    }

    /** What the search looks at in a unit: its names, head and holder, and its tasks, posts and holders once they
     * are loaded. Built when a search first needs it, not for every unit when the chart opens. */
    function searchableText(entry) {
      if (entry.text === null) {
        entry.text = [ownText(entry), ...entry.extra.map((item) => item.key)].join("\n");
      }
      return entry.text;
    }

    /** Add every unit's tasks, posts and holders to what the search looks at (fetched once, on first use). */
    function loadSearchText() {
      if (!searchText) {
        searchText = fetch(app.dataset.searchTextUrl, { headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : { units: {} }))
          .then((payload) => {
            Object.entries(payload.units).forEach(([id, items]) => {
              const entry = index.get(id);
              if (entry) {
                entry.extra = items.map(([what, text, textEn]) => ({ what, text, textEn, key: normalise(text + "\n" + (textEn || "")) }));
                entry.text = null;
              }
            });
          })
          .catch(() => {});
      }
      return searchText;
    }

    // d3-org-chart shows a unit when its own `_expanded` flag (or a descendant's) is set.
    function showUnit(entry) {
      entry.unit._expanded = true;
    }

    function setDefaultExpansion(depth) {
      index.forEach((entry) => {
        entry.unit._expanded = entry.depth <= depth;
      });
    }

    /** Open one level below the root, or two below a root with few children (a directorate of director areas),
     * so that the chart opens about as wide as a screen. */
    function openingDepth() {
      return index.get(rootId).children.length <= FEW_CHILDREN ? 2 : 1;
    }

    function expandChildren(entry) {
      showUnit(entry);
      entry.children.forEach(showUnit);
    }

    function collapseChildren(entry) {
      const stack = entry.children.slice();
      while (stack.length) {
        const current = stack.pop();
        current.unit._expanded = false;
        stack.push(...current.children);
      }
      showUnit(entry);
    }

    // ------------------------------------------------------------------ cards

    function cardHtml(node) {
      const unit = node.data;
      const entry = index.get(unit.id);
      const classes = ["org-card", "kind-" + unit.kind];
      const name = unitName(unit);
      const kind = unit.virtual ? "" : kindLabels[unit.kind] || unit.kind;
      let head = "";
      let headLabel = "";
      if (entry.headTitle) {
        const holder = unit.holder
          ? escapeHtml(unit.holder)
          : '<span class="vacant">' + escapeHtml(label("vacant")) + "</span>";
        head = escapeHtml(entry.headTitle) + ": " + holder;
        headLabel = entry.headTitle + ": " + (unit.holder || label("vacant"));
      }
      const count = subunitText(unit);
      if (unit._highlighted) {
        classes.push("is-highlighted");
      }
      if (unit._upToTheRootHighlighted) {
        classes.push("is-on-path");
      }
      const marked = marks[unit.id];
      if (marked) {
        classes.push("mark-" + marked.mark);
      }
      if (unit.id === focusedId) {
        classes.push("is-focused");
      }
      const ariaLabel = [
        name,
        kind,
        headLabel,
        count,
        unit._highlighted ? label(query ? "match" : "marked") : "",
        unit._upToTheRootHighlighted && unit.id !== panelId ? label("on-path") : "",
        marked ? marked.text : "",
      ]
        .filter(Boolean)
        .join(". ");
      const attributes = [
        'class="' + classes.join(" ") + '"',
        'role="treeitem"',
        'tabindex="' + (unit.id === tabStopId() ? "0" : "-1") + '"',
        'data-unit-id="' + escapeHtml(unit.id) + '"',
        'aria-level="' + (node.depth + 1) + '"',
        'aria-label="' + escapeHtml(ariaLabel) + '"',
      ];
      if (entry && entry.children.length) {
        attributes.push('aria-expanded="' + (node.children ? "true" : "false") + '"');
      }
      if (unit._highlighted) {
        attributes.push('data-highlighted="true"');
      }
      if (unit._upToTheRootHighlighted) {
        attributes.push('data-on-path="true"');
      }
      const title = unit.virtual
        ? '<span class="org-card-name">' + escapeHtml(name) + "</span>"
        : '<a class="org-card-name" tabindex="-1" href="' + escapeHtml(unitUrl(unit.id)) + '">' + escapeHtml(name) + "</a>";
      return (
        "<div " + attributes.join(" ") + ">" +
        (kind ? '<span class="org-card-kind">' + escapeHtml(kind) + "</span>" : "") +
        title +
        (head ? '<span class="org-card-head">' + head + "</span>" : "") +
        (marked ? '<span class="org-card-mark">' + escapeHtml(marked.text) + "</span>" : "") +
        (count ? '<span class="org-card-count">' + escapeHtml(count) + "</span>" : "") +
        "</div>"
      );
    }

    function buttonHtml({ node }) {
      const count = node.data._directSubordinatesPaging || node.data._directSubordinates || 0;
      if (!count) {
        return ""; // a unit without sub-units, whose button the library hides (and afterUpdate removes)
      }
      return (
        '<span class="org-node-button" aria-hidden="true">' + (node.children ? "−" : "+") + " " + count + "</span>"
      );
    }

    // ------------------------------------------------------------------ view

    function state() {
      return chart.getChartState();
    }

    function visibleNodes() {
      return state().root.descendants();
    }

    function visibleNode(id) {
      return visibleNodes().find((node) => node.data.id === id) || null;
    }

    function tabStopId() {
      return focusedId && visibleNodeIds.has(focusedId) ? focusedId : rootId;
    }

    function findCard(id) {
      return container.querySelector('.org-card[data-unit-id="' + CSS.escape(id) + '"]');
    }

    function moveZoom(transform, animate) {
      const { svg, zoomBehavior, centerG } = state();
      centerG.attr("transform", "translate(0,0)");
      // Every frame of a zoom repaints every card: a large chart jumps instead.
      const target = animate && visibleNodeIds.size <= ANIMATION_LIMIT ? svg.transition().duration(DURATION) : svg;
      target.call(zoomBehavior.transform, transform);
    }

    /** The box around the cards in chart coordinates. */
    function bounds(nodes) {
      const { layoutBindings, layout } = state();
      const edges = layoutBindings[layout];
      return {
        x0: d3.min(nodes, (node) => node.x + edges.nodeLeftX(node)),
        x1: d3.max(nodes, (node) => node.x + edges.nodeRightX(node)),
        y0: d3.min(nodes, (node) => node.y + edges.nodeTopY(node)),
        y1: d3.max(nodes, (node) => node.y + edges.nodeBottomY(node)),
      };
    }

    /** The width of the chart not covered by the details panel. */
    function openWidth() {
      const { svgWidth } = state();
      return !panel || panel.hidden || window.innerWidth <= PHONE_WIDTH
        ? svgWidth
        : Math.max(320, svgWidth - panel.offsetWidth);
    }

    /** Fit the visible chart into the view, never enlarging it beyond its natural size. With `readable`, a chart
     * too large to fit at a readable scale is shown from the top at that scale, centred on its root. */
    function fitView(animate, readable, nodes = visibleNodes()) {
      const { svgHeight } = state();
      const width = openWidth();
      const box = bounds(nodes);
      const margin = 24;
      const fitted = Math.min(
        1,
        (width - 2 * margin) / Math.max(1, box.x1 - box.x0),
        (svgHeight - 2 * margin) / Math.max(1, box.y1 - box.y0),
      );
      let transform;
      if (readable && fitted < READABLE_SCALE) {
        transform = d3.zoomIdentity
          .translate(width / 2, margin)
          .scale(READABLE_SCALE)
          .translate(-nodes[0].x, -box.y0);
      } else {
        transform = d3.zoomIdentity
          .translate(width / 2, margin)
          .scale(fitted)
          .translate(-(box.x0 + box.x1) / 2, -box.y0);
      }
      moveZoom(transform, animate);
    }

    /** Put a unit's card in the middle of the open part of the view, zoomed in far enough to read it. */
    function centreOn(id, animate) {
      const node = visibleNode(id);
      if (!node) {
        return;
      }
      const { svgHeight, lastTransform } = state();
      const scale = Math.max(Math.min(lastTransform.k, 1.4), READABLE_SCALE);
      const transform = d3.zoomIdentity
        .translate(openWidth() / 2, svgHeight / 2)
        .scale(scale)
        .translate(-node.x, -(node.y + node.height / 2));
      moveZoom(transform, animate);
    }

    function isInView(id) {
      const node = visibleNode(id);
      if (!node) {
        return false;
      }
      const { svgHeight, lastTransform: t } = state();
      const left = t.x + t.k * (node.x - node.width / 2);
      const right = t.x + t.k * (node.x + node.width / 2);
      const top = t.y + t.k * node.y;
      const bottom = t.y + t.k * (node.y + node.height);
      return t.k >= READABLE_SCALE && left >= 0 && top >= 0 && right <= openWidth() && bottom <= svgHeight;
    }

    /** Redraw from the units' flags. Large redraws skip the animation: moving thousands of cards frame by frame
     * costs seconds. */
    function redraw() {
      let shown = 0;
      index.forEach((entry) => {
        if (entry.unit._expanded) {
          shown += 1;
        }
      });
      const animate = shown <= ANIMATION_LIMIT && visibleNodeIds.size <= ANIMATION_LIMIT;
      if (animate) {
        chart.render();
      } else {
        renderAtOnce();
      }
    }

    /** Render without animation, every card in its place when this returns. The library moves cards, links and
     * buttons by d3 transitions even when they have no duration: d3 would start them in the next frame and end
     * them in the one after (each of those frames lays out every card), and on a large chart creating and running
     * them costs more than the rest of the redraw. For this render `selection.transition()` sets the end state at
     * once instead. */
    function renderAtOnce() {
      const transition = d3.selection.prototype.transition;
      const atEnd = [];
      d3.selection.prototype.transition = function () {
        return immediateTransition(this.interrupt(), atEnd);
      };
      chart.duration(0);
      try {
        chart.render();
      } finally {
        d3.selection.prototype.transition = transition;
        chart.duration(DURATION);
      }
      atEnd.forEach((callback) => callback());
    }

    /** The part of a d3 transition the library uses, with no duration: values are set at once, and what a
     * transition would do at its end (listeners, removal) is queued in `atEnd`. */
    function immediateTransition(selection, atEnd) {
      const transition = {
        selection: () => selection,
        duration: () => transition,
        delay: () => transition,
        ease: () => transition,
        attr(name, value) {
          selection.attr(name, value);
          return transition;
        },
        style(name, value, priority) {
          selection.style(name, value, priority);
          return transition;
        },
        text(value) {
          selection.text(value);
          return transition;
        },
        each(callback) {
          selection.each(callback);
          return transition;
        },
        call(callback, ...args) {
          callback(selection, ...args);
          return transition;
        },
        on(type, listener) {
          if (listener && type.split(" ").some((name) => name === "end" || name.startsWith("end."))) {
            atEnd.push(() => selection.each(listener));
          }
          return transition;
        },
        remove() {
          atEnd.push(() => selection.remove());
          return transition;
        },
        transition: () => transition,
      };
      return transition;
    }

    /** Remove the cards and links still fading out from the previous redraw. Left in place, the next redraw
     * takes them over for units that come back, and then their old fade-out removes them anyway. */
    function dropLeavingCards() {
      const { nodesWrapper, linksWrapper } = state();
      if (!nodesWrapper) {
        return;
      }
      const leaving = (node) => !visibleNodeIds.has(node.data.id);
      nodesWrapper.selectAll("g.node").filter(leaving).interrupt().remove();
      linksWrapper.selectAll("path.link").filter(leaving).interrupt().remove();
    }

    /** Runs after every redraw of the library, including its own expand/collapse button clicks. */
    function afterUpdate() {
      visibleNodeIds = new Set(visibleNodes().map((node) => node.data.id));
      const svg = container.querySelector("svg.svg-chart-container");
      if (svg) {
        svg.setAttribute("role", "none"); // the cards form the tree; the drawing itself is presentation
      }
      const stop = tabStopId();
      container.querySelectorAll(".org-card").forEach((card) => {
        const tabIndex = card.dataset.unitId === stop ? 0 : -1;
        if (card.tabIndex !== tabIndex) {
          card.tabIndex = tabIndex;
        }
      });
      if (refocusId) {
        const card = findCard(refocusId);
        refocusId = null;
        if (card) {
          card.focus({ preventScroll: true });
        }
      }
    }

    // ------------------------------------------------------------------ state in the URL

    function updateUrl() {
      if (!syncUrl) {
        return;
      }
      const url = new URL(window.location.href);
      if (focusedId && focusedId !== VIRTUAL_ROOT) {
        url.searchParams.set("enhed", focusedId);
      } else {
        url.searchParams.delete("enhed");
      }
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      history.replaceState(history.state, "", url);
      // The language switch and the other versions keep the same view.
      const next = url.pathname + url.search;
      document.querySelectorAll('.language-switch input[name="next"]').forEach((input) => {
        input.value = next;
      });
      document.querySelectorAll("a[data-version]").forEach((link) => {
        const target = new URL(link.href);
        target.search = url.search;
        target.searchParams.delete("dato");
        link.href = target.toString();
      });
    }

    function setFocused(id) {
      if (id === focusedId) {
        return;
      }
      const previous = focusedId && findCard(focusedId);
      if (previous) {
        previous.classList.remove("is-focused");
      }
      focusedId = id;
      const card = id && findCard(id);
      if (card) {
        card.classList.add("is-focused");
      }
      updateUrl();
    }

    // ------------------------------------------------------------------ the details panel

    function clearPath() {
      index.forEach((entry) => {
        entry.unit._upToTheRootHighlighted = false;
      });
    }

    /** Show a unit's details beside the chart and highlight its path to the root. */
    function openPanel(id, { focusPanel = true } = {}) {
      if (!id || id === VIRTUAL_ROOT || !index.has(id)) {
        return;
      }
      if (!panel) {
        window.location.assign(unitUrl(id)); // a chart without a panel (the comparison) opens the unit's page
        return;
      }
      panelId = id;
      setFocused(id);
      clearPath();
      chart.setUpToTheRootHighlighted(id);
      panel.hidden = false;
      app.classList.add("has-panel");
      panelBody.setAttribute("aria-busy", "true");
      redraw();
      if (!isInView(id)) {
        centreOn(id, true);
      }
      fetch(app.dataset.panelUrl.replace("UNIT_KEY", encodeURIComponent(id)), { headers: { Accept: "text/html" } })
        .then((response) => {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then((html) => {
          if (panelId !== id) {
            return; // another card was chosen meanwhile
          }
          panelBody.innerHTML = html;
          panelBody.setAttribute("aria-busy", "false");
          app.dataset.panel = id;
          const title = panelBody.querySelector("#chart-panel-title");
          if (focusPanel && title) {
            title.focus({ preventScroll: window.innerWidth > PHONE_WIDTH });
          }
        })
        .catch(() => {
          panelBody.textContent = label("panel-error");
          panelBody.setAttribute("aria-busy", "false");
        });
    }

    function closePanel() {
      if (panelId === null || !panel) {
        return;
      }
      const id = panelId;
      panelId = null;
      panel.hidden = true;
      app.classList.remove("has-panel");
      delete app.dataset.panel;
      panelBody.textContent = "";
      clearPath();
      refocusId = id;
      redraw();
    }

    function onPanelClick(event) {
      const link = event.target.closest("a[data-panel-unit]");
      if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0)) {
        event.preventDefault();
        openPanel(link.dataset.panelUnit);
      }
    }

    // ------------------------------------------------------------------ search

    function findMatches(text) {
      const terms = normalise(text).split(/\s+/).filter(Boolean);
      if (!terms.length) {
        return [];
      }
      const result = [];
      index.forEach((entry) => {
        if (!entry.unit.virtual && terms.every((term) => searchableText(entry).includes(term))) {
          result.push(entry);
        }
      });
      return result;
    }

    /** What a match was found on when it is not the unit's name or head: "opgave: Trafiksikkerhed". */
    function matchedOn(entry) {
      const terms = normalise(query).split(/\s+/).filter(Boolean);
      const own = ownText(entry);
      if (terms.every((term) => own.includes(term))) {
        return "";
      }
      const item = entry.extra.find((candidate) => terms.some((term) => candidate.key.includes(term)));
      return item ? label("matched-" + item.what, { text: (english && item.textEn) || item.text }) : "";
    }

    function announce() {
      if (!query) {
        say(requestedHighlight && matches.length
          ? label("highlight", { label: requestedHighlight.label, count: matches.length })
          : "");
      } else if (!matches.length) {
        say(label("found-none"));
      } else if (matches.length > MAX_HIGHLIGHTS) {
        say(label("found-capped", { count: matches.length, shown: MAX_HIGHLIGHTS }));
      } else {
        say(matches.length === 1 ? label("found-one") : label("found-other", { count: matches.length }));
      }
    }

    function mark(entries) {
      index.forEach((entry) => {
        entry.unit._highlighted = false;
      });
      matches = entries;
      matchPosition = matches.length ? 0 : -1;
      matches.slice(0, MAX_HIGHLIGHTS).forEach((entry) => {
        entry.unit._highlighted = true;
        showUnit(entry);
      });
    }

    /** Mark the units that match `text` and unfold the chart down to them; no redraw. */
    function applySearch(text) {
      query = text.trim();
      if (query && expansionBeforeSearch === null) {
        expansionBeforeSearch = new Map();
        index.forEach((entry, id) => expansionBeforeSearch.set(id, Boolean(entry.unit._expanded)));
      } else if (expansionBeforeSearch !== null) {
        // Each new query starts from the view the search began in, so typing does not unfold everything.
        index.forEach((entry, id) => {
          entry.unit._expanded = expansionBeforeSearch.get(id);
        });
        if (!query) {
          expansionBeforeSearch = null;
        }
      }
      mark(query ? findMatches(query) : []);
      announce();
    }

    function showMatch(position) {
      if (!matches.length) {
        return;
      }
      const shown = Math.min(matches.length, MAX_HIGHLIGHTS);
      matchPosition = (position + shown) % shown;
      const entry = matches[matchPosition];
      showUnit(entry);
      setFocused(entry.unit.id);
      redraw();
      centreOn(entry.unit.id, true);
      const found = matchedOn(entry);
      say(label("match-position", {
        position: matchPosition + 1,
        count: matches.length,
        name: unitName(entry.unit) + (found ? " (" + found + ")" : ""),
      }));
    }

    let searchTimer = null;

    /** Search as the user types: mark the matches and centre on the first; the status line counts them. */
    function runSearch() {
      applySearch(searchInput.value);
      if (matches.length) {
        setFocused(matches[0].unit.id);
        redraw();
        centreOn(matches[0].unit.id, true);
      } else {
        redraw();
        updateUrl();
      }
    }

    function onSearchInput() {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(() => {
        loadSearchText().then(runSearch);
      }, 250);
    }

    function onSearchKeydown(event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(searchTimer);
        if (searchInput.value.trim() !== query) {
          loadSearchText().then(() => {
            applySearch(searchInput.value);
            showMatch(0);
            if (!matches.length) {
              redraw();
              updateUrl();
            }
          });
        } else {
          showMatch(matchPosition + (event.shiftKey ? -1 : 1));
        }
      } else if (event.key === "Escape" && searchInput.value) {
        event.preventDefault();
        searchInput.value = "";
        onSearchInput();
      }
    }

    // ------------------------------------------------------------------ keyboard and mouse on cards

    function openUnitPage(id) {
      if (id && id !== VIRTUAL_ROOT) {
        setFocused(id);
        window.open(unitUrl(id), "_blank", "noopener");
      }
    }

    function toggle(id) {
      const entry = index.get(id);
      const node = visibleNode(id);
      if (!entry || !node || !entry.children.length) {
        return;
      }
      if (node.children) {
        collapseChildren(entry);
      } else {
        expandChildren(entry);
      }
      redraw();
    }

    function focusUnit(id) {
      const card = findCard(id);
      if (card) {
        card.focus({ preventScroll: true });
      } else {
        refocusId = id;
      }
    }

    function siblingOf(node, step) {
      const siblings = node.parent ? node.parent.children || [] : [node];
      const position = siblings.indexOf(node) + step;
      return position >= 0 && position < siblings.length ? siblings[position] : null;
    }

    function onCardKeydown(event) {
      const card = event.target.closest && event.target.closest(".org-card");
      if (!card || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      const id = card.dataset.unitId;
      const node = visibleNode(id);
      if (!node) {
        return;
      }
      let handled = true;
      switch (event.key) {
        case "Enter":
          openPanel(id);
          break;
        case " ":
        case "Spacebar":
          refocusId = id;
          toggle(id);
          break;
        case "ArrowDown":
          if (index.get(id).children.length) {
            if (!node.children) {
              expandChildren(index.get(id));
              refocusId = index.get(id).children[0].unit.id;
              redraw();
            } else {
              focusUnit(node.children[0].data.id);
            }
          }
          break;
        case "ArrowUp":
          if (node.parent) {
            focusUnit(node.parent.data.id);
          }
          break;
        case "ArrowLeft":
        case "ArrowRight": {
          const sibling = siblingOf(node, event.key === "ArrowLeft" ? -1 : 1);
          if (sibling) {
            focusUnit(sibling.data.id);
          }
          break;
        }
        case "Home":
          focusUnit(rootId);
          break;
        case "End": {
          const shown = visibleNodes();
          focusUnit(shown[shown.length - 1].data.id);
          break;
        }
        default:
          handled = false;
      }
      if (handled) {
        // Stop the library's own key handler on the node, which would toggle it on Enter.
        event.preventDefault();
        event.stopPropagation();
      }
    }

    function onCardFocus(event) {
      const card = event.target.closest && event.target.closest(".org-card");
      if (!card) {
        return;
      }
      setFocused(card.dataset.unitId);
      container.querySelectorAll('.org-card[tabindex="0"]').forEach((other) => {
        other.tabIndex = -1;
      });
      card.tabIndex = 0;
      // Follow keyboard focus with the view; a mouse press may be the start of a drag, so leave the view alone.
      if (card.matches(":focus-visible") && !isInView(card.dataset.unitId)) {
        centreOn(card.dataset.unitId, true);
      }
    }

    /** A click on a card (or its name) opens the details panel; Ctrl/Cmd-click or a middle click opens the unit's
     * own page in a new tab, as links do. */
    function onCardClick(event) {
      const card = event.target.closest && event.target.closest(".org-card");
      if (!card || event.defaultPrevented) {
        return;
      }
      const newTab = event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1;
      if (event.target.closest("a")) {
        if (newTab) {
          setFocused(card.dataset.unitId); // the link itself opens the new tab
          return;
        }
        event.preventDefault();
      }
      if (newTab) {
        openUnitPage(card.dataset.unitId);
      } else {
        openPanel(card.dataset.unitId);
      }
    }

    // ------------------------------------------------------------------ touch

    /** On a touch screen a one-finger swipe scrolls the page; the chart pans with two fingers, or with one after
     * a tap on it (until a touch outside it). */
    function zoomFilter(event) {
      if (event.type.startsWith("touch")) {
        return touchPanning || event.touches.length > 1;
      }
      return (!event.ctrlKey || event.type === "wheel") && !event.button;
    }

    function setTouchPanning(on) {
      if (touchPanning === on) {
        return;
      }
      touchPanning = on;
      app.classList.toggle("is-touch-panning", on);
      say(on ? label("touch-active") : "");
    }

    let touchStart = null;

    function onTouchStart(event) {
      if (!container.contains(event.target)) {
        setTouchPanning(false);
        return;
      }
      const touch = event.touches[0];
      touchStart = event.touches.length === 1 ? { x: touch.clientX, y: touch.clientY, time: event.timeStamp } : null;
    }

    function onTouchEnd(event) {
      if (!touchStart || !container.contains(event.target)) {
        return;
      }
      const touch = event.changedTouches[0];
      const moved = Math.hypot(touch.clientX - touchStart.x, touch.clientY - touchStart.y);
      if (moved < 10 && event.timeStamp - touchStart.time < 500) {
        setTouchPanning(true);
      }
      touchStart = null;
    }

    // ------------------------------------------------------------------ full screen and size

    function stageHeight() {
      if (document.fullscreenElement === app) {
        return window.innerHeight - stage.getBoundingClientRect().top - 8;
      }
      if (window.innerWidth <= PHONE_WIDTH) {
        return Math.round(window.innerHeight * 0.7);
      }
      // The chart takes the rest of the window below the page's top, so it is in view without scrolling.
      const top = stage.getBoundingClientRect().top + window.scrollY;
      return Math.max(360, window.innerHeight - top - 16);
    }

    function resize() {
      if (app.dataset.fill !== "false") {
        stage.style.setProperty("--chart-height", stageHeight() + "px");
      }
      if (!chart) {
        return;
      }
      const width = container.clientWidth;
      const height = container.clientHeight;
      chart.svgWidth(width).svgHeight(height);
      const svg = container.querySelector("svg.svg-chart-container");
      if (svg && !(outline && outline.childElementCount)) {
        svg.setAttribute("width", width);
        svg.setAttribute("height", height);
      }
    }

    function toggleFullscreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (app.requestFullscreen) {
        app.requestFullscreen().catch(() => {});
      }
    }

    function onFullscreenChange() {
      const on = document.fullscreenElement === app;
      app.classList.toggle("is-fullscreen", on);
      app.querySelectorAll('[data-action="fullscreen"]').forEach((button) => {
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
      window.requestAnimationFrame(() => {
        resize();
        fitView(false, true);
      });
    }

    // ------------------------------------------------------------------ export what is shown

    /** The stylesheet rules that draw the cards, for an exported SVG that must look the same outside the page. */
    function cardStyles() {
      const rules = [];
      Array.from(document.styleSheets).forEach((sheet) => {
        if (!sheet.href || !/\/css\/(chart|orgmodel)\.[^/]*css/.test(sheet.href)) {
          return;
        }
        Array.from(sheet.cssRules).forEach((rule) => {
          if (rule.type === CSSRule.STYLE_RULE && /:root|org-|kind-|vacant/.test(rule.selectorText)) {
            rules.push(rule.cssText);
          }
        });
      });
      return rules.join("\n");
    }

    /** The visible chart as a standalone SVG document: every shown card (not just those in the window), the
     * cards' styles, and a title with municipality, version, status and the date of export. */
    function shownSvg() {
      const svg = container.querySelector("svg.svg-chart-container");
      const box = bounds(visibleNodes());
      const margin = 24;
      const titleHeight = 56;
      const clone = svg.cloneNode(true);
      clone.querySelectorAll(".node-button-g, .chart-panel").forEach((element) => element.remove());
      clone.querySelectorAll("g.chart, g.center-group").forEach((group) => group.removeAttribute("transform"));
      const x = box.x0 - margin;
      const y = box.y0 - margin - titleHeight;
      const width = box.x1 - box.x0 + 2 * margin;
      const height = box.y1 - box.y0 + 2 * margin + titleHeight;
      clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
      clone.setAttribute("viewBox", [x, y, width, height].join(" "));
      clone.setAttribute("width", width);
      clone.setAttribute("height", height);
      clone.removeAttribute("style");
      const ns = "http://www.w3.org/2000/svg";
      const style = document.createElementNS(ns, "style");
      style.textContent = cardStyles();
      clone.insertBefore(style, clone.firstChild);
      const background = document.createElementNS(ns, "rect");
      Object.entries({ x, y, width, height, fill: "#ffffff" }).forEach(([name, value]) => background.setAttribute(name, value));
      clone.insertBefore(background, style.nextSibling);
      const lines = [
        [app.dataset.exportTitle, "700", 18],
        [label("exported", { date: new Date().toLocaleDateString(english ? "en-GB" : "da-DK", { day: "numeric", month: "long", year: "numeric" }) }) + " · " + window.location.href, "400", 12],
      ];
      lines.forEach(([text, weight, size], position) => {
        const line = document.createElementNS(ns, "text");
        line.setAttribute("x", x + margin);
        line.setAttribute("y", y + margin + 4 + position * 24);
        line.setAttribute("font-family", CARD_FONT);
        line.setAttribute("font-weight", weight);
        line.setAttribute("font-size", size);
        line.setAttribute("fill", "#1a1a1a");
        line.textContent = text;
        clone.insertBefore(line, background.nextSibling);
      });
      return { text: new XMLSerializer().serializeToString(clone), width, height };
    }

    function save(blob, extension) {
      const link = document.createElement("a");
      link.download = app.dataset.exportName + "." + extension;
      link.href = URL.createObjectURL(blob);
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }

    function exportSvg() {
      save(new Blob([shownSvg().text], { type: "image/svg+xml;charset=utf-8" }), "svg");
    }

    function exportPng() {
      const { text, width, height } = shownSvg();
      const image = new Image();
      image.onload = () => {
        const scale = Math.min(2, 16000 / Math.max(width, height));
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        const context = canvas.getContext("2d");
        context.scale(scale, scale);
        context.drawImage(image, 0, 0, width, height);
        canvas.toBlob((blob) => save(blob, "png"), "image/png");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    }

    // ------------------------------------------------------------------ print

    /** On paper the chart is an outline of the cards shown on screen, root first: an outline breaks between
     * cards, never through one, and starts on page 1 however wide the tree is. */
    function buildOutline() {
      if (!chart || !outline) {
        return;
      }
      const shown = new Set(visibleNodes().map((node) => node.data.id));
      const item = (entry) => {
        const li = document.createElement("li");
        const card = document.createElement("div");
        card.className = "outline-card kind-" + entry.unit.kind;
        const kind = entry.unit.virtual ? "" : kindLabels[entry.unit.kind] || "";
        const head = entry.headTitle ? entry.headTitle + ": " + (entry.unit.holder || label("vacant")) : "";
        card.innerHTML =
          (kind ? '<span class="org-card-kind">' + escapeHtml(kind) + "</span> " : "") +
          '<strong class="outline-name">' + escapeHtml(unitName(entry.unit)) + "</strong>" +
          (head ? '<span class="outline-head">' + escapeHtml(head) + "</span>" : "");
        li.appendChild(card);
        const children = entry.children.filter((child) => shown.has(child.unit.id));
        if (children.length) {
          const list = document.createElement("ol");
          children.forEach((child) => list.appendChild(item(child)));
          li.appendChild(list);
        }
        return li;
      };
      outline.textContent = "";
      outline.appendChild(item(index.get(rootId)));
    }

    function clearOutline() {
      if (outline) {
        outline.textContent = "";
      }
    }

    // ------------------------------------------------------------------ toolbar

    /** Run a redraw that may take a while on a large chart after the browser has shown that it is busy. */
    function whileBusy(work) {
      if (index.size <= ANIMATION_LIMIT) {
        work();
        return;
      }
      app.dataset.state = "busy";
      container.setAttribute("aria-busy", "true");
      window.requestAnimationFrame(() => {
        window.setTimeout(() => {
          try {
            work();
          } finally {
            container.setAttribute("aria-busy", "false");
            app.dataset.state = "ready";
          }
        }, 0);
      });
    }

    const actions = {
      "expand-all": () =>
        whileBusy(() => {
          index.forEach(showUnit);
          redraw();
          fitView(true, true);
        }),
      "collapse-all": () =>
        whileBusy(() => {
          setDefaultExpansion(1);
          matches.slice(0, MAX_HIGHLIGHTS).forEach(showUnit);
          redraw();
          fitView(true, true);
        }),
      "zoom-in": () => chart.zoomIn(),
      "zoom-out": () => chart.zoomOut(),
      fit: () => fitView(true),
      fullscreen: toggleFullscreen,
      "export-svg": exportSvg,
      "export-png": exportPng,
      print: () => window.print(),
      "close-panel": closePanel,
    };

    // ------------------------------------------------------------------ start

    function restoreFromUrl(units) {
      const params = new URLSearchParams(window.location.search);
      setDefaultExpansion(openingDepth());
      const text = (syncUrl && searchInput && params.get("q")) || "";
      if (text.trim()) {
        searchInput.value = text;
        applySearch(text);
      } else if (requestedHighlight) {
        mark(requestedHighlight.units.filter((id) => index.has(id)).map((id) => index.get(id)));
      }
      const requested = syncUrl ? params.get("enhed") : null;
      Object.keys(marks).forEach((id) => {
        if (index.has(id)) {
          showUnit(index.get(id));
        }
      });
      if (requested && index.has(requested)) {
        const entry = index.get(requested);
        showUnit(entry);
        entry.children.forEach(showUnit);
        focusedId = requested;
      } else if (matches.length && query) {
        focusedId = matches[0].unit.id;
      }
      return units;
    }

    /** The library draws an expand button on every card and hides it on a unit without sub-units: on a large
     * chart creating, styling and hiding those costs as much as the cards. (Its own helper `patternify`, which it
     * installs on d3's selections, is asked for no button where there is nothing to expand.) */
    function drawButtonsOnlyWhereNeeded() {
      const patternify = d3.selection.prototype.patternify;
      d3.selection.prototype.patternify = function (params) {
        if (params.selector !== "node-button-g") {
          return patternify.call(this, params);
        }
        return patternify.call(this, { ...params, data: (node) => (node.data._directSubordinates > 0 ? [node] : []) });
      };
    }

    function start(payload) {
      const units = restoreFromUrl(buildIndex(payload.units));
      container.textContent = "";
      resize();
      chart = new d3.OrgChart();
      drawButtonsOnlyWhereNeeded();
      const originalUpdate = chart.update.bind(chart);
      chart.update = function (...args) {
        dropLeavingCards();
        const result = originalUpdate(...args);
        afterUpdate();
        return result;
      };
      chart
        .container(container)
        .svgWidth(container.clientWidth)
        .svgHeight(container.clientHeight)
        .data(units)
        .nodeId((unit) => unit.id)
        .parentNodeId((unit) => unit.parentId)
        .compact(false) // siblings side by side: a compact 2-column stack reads as sub-units of a neighbour
        .pagingStep(() => Number.MAX_SAFE_INTEGER)
        .createZoom(() => d3.zoom().filter(zoomFilter))
        .nodeWidth(() => CARD_WIDTH)
        .nodeHeight((node) => cardHeight(index.get(node.data.id)))
        .childrenMargin(() => 56)
        .siblingsMargin(() => 20)
        .neighbourMargin(() => 36)
        .nodeButtonWidth(() => 52)
        .nodeButtonHeight(() => 24)
        .nodeButtonX(() => -26)
        .nodeButtonY(() => 4)
        .defaultFont("inherit")
        .nodeContent(cardHtml)
        .buttonContent(buttonHtml)
        .nodeUpdate(() => {}) // the library's would outline highlighted cards; a card draws its own states
        .linkUpdate(function (node) {
          const onPath = node.data._upToTheRootHighlighted;
          this.setAttribute("stroke", onPath ? "#004993" : node.data._highlighted ? "#b07d00" : "#8a96a3");
          this.setAttribute("stroke-width", onPath ? 3.5 : node.data._highlighted ? 2.5 : 1.5);
        })
        .onNodeClick(() => {})
        .onExpandOrCollapse((node) => {
          // The library clears a collapsed unit's own flag; keep it so the unit stays in view on redraws.
          showUnit(index.get(node.data.id));
          setFocused(node.data.id);
        });

      performance.mark("orgchart:render-start");
      renderAtOnce();
      if (focusedId && visibleNode(focusedId) && focusedId !== rootId) {
        openPanel(focusedId, { focusPanel: false });
        centreOn(focusedId, false);
      } else if (!query && matches.length) {
        // Units marked at another page's request: the view holds them (and the root above them) if it can.
        const marked = new Set([rootId, ...matches.map((entry) => entry.unit.id)]);
        fitView(false, true, visibleNodes().filter((node) => marked.has(node.data.id)));
      } else {
        fitView(false, true);
      }
      performance.mark("orgchart:render-end");
      performance.measure("orgchart:render", "orgchart:render-start", "orgchart:render-end");
      performance.measure("orgchart:total", "orgchart:fetch-start", "orgchart:render-end");
      announce();
      updateUrl();
      container.setAttribute("aria-busy", "false");
      app.dataset.state = "ready";
      app.dataset.unitCount = String(payload.units.length);
    }

    function fail() {
      container.setAttribute("aria-busy", "false");
      container.textContent = "";
      const message = document.createElement("p");
      message.className = "chart-error";
      message.setAttribute("role", "alert");
      message.textContent = label("error");
      container.appendChild(message);
      app.dataset.state = "error";
    }

    container.addEventListener("keydown", onCardKeydown, true);
    container.addEventListener("focusin", onCardFocus);
    container.addEventListener("click", onCardClick);
    container.addEventListener("auxclick", (event) => {
      if (event.button === 1) {
        onCardClick(event);
      }
    });
    if (panel) {
      panel.addEventListener("click", onPanelClick);
    }
    app.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && panelId !== null && !event.target.closest(".chart-search")) {
        closePanel();
      }
    });
    document.addEventListener("touchstart", onTouchStart, { passive: true });
    document.addEventListener("touchend", onTouchEnd, { passive: true });
    if (searchInput) {
      searchInput.addEventListener("input", onSearchInput);
      searchInput.addEventListener("keydown", onSearchKeydown);
    }
    app.querySelectorAll("[data-action]").forEach((button) => {
      button.addEventListener("click", () => {
        if (chart) {
          actions[button.dataset.action]();
        }
      });
    });
    window.addEventListener("resize", resize);
    document.addEventListener("fullscreenchange", onFullscreenChange);
    window.addEventListener("beforeprint", buildOutline);
    window.addEventListener("afterprint", clearOutline);
    window.matchMedia("print").addEventListener("change", (event) => {
      if (event.matches) {
        buildOutline();
      } else {
        clearOutline();
      }
    });

    resize();
    performance.mark("orgchart:fetch-start");
    const treeRequest = fetch(app.dataset.treeUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
    treeRequest
      .then((payload) => {
        performance.mark("orgchart:data");
        performance.measure("orgchart:fetch", "orgchart:fetch-start", "orgchart:data");
        start(payload);
        if (query) {
          loadSearchText().then(() => {
            applySearch(query);
            redraw();
            announce();
          });
        }
      })
      .catch((error) => {
        fail();
        console.error("org chart:", error);
      });
  }

  window.OrgmodelChart = { mount };
  document.querySelectorAll("[data-org-chart]").forEach(mount);
})();
