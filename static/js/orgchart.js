/*
 * The interactive org chart of one organisation version (templates/centers/chart.html).
 *
 * d3-org-chart draws the tree from the version's flat JSON rows ({id, parentId, ...}). This file adds what
 * the library leaves to its user: the cards, search with highlight, keyboard use (a WAI-ARIA tree with a
 * roving tab stop), the chart's state in the URL (?enhed=<unit>&q=<search>) and a print layout.
 * Every user-facing string comes from data-label-* attributes that the template translates.
 */
(function () {
  "use strict";

  const app = document.getElementById("org-chart-app");
  if (!app || !window.d3 || !window.d3.OrgChart) {
    return;
  }

  const CARD_WIDTH = 244;
  const CARD_HEIGHT = 112;
  const DURATION = 200; // short transitions keep a 5,000-unit chart responsive
  const DEFAULT_DEPTH = 2; // units below this level start collapsed
  const ANIMATION_LIMIT = 600; // redraws with more cards than this are not animated
  const MAX_HIGHLIGHTS = 250; // a broad search marks (and unfolds to) at most this many units
  const READABLE_SCALE = 0.8; // centring on a unit zooms in at least this far
  const INITIAL_MIN_SCALE = 0.55; // opening and (un)folding all shrink no further: large charts show their top
  const VIRTUAL_ROOT = ":root"; // not a valid unit key, so it never clashes with one

  const container = document.getElementById("org-chart");
  const searchInput = document.getElementById("chart-search");
  const statusLine = document.getElementById("chart-search-status");
  const english = app.dataset.language === "en";
  const kindLabels = {};
  app.querySelectorAll(".chart-legend [data-kind]").forEach((item) => {
    kindLabels[item.dataset.kind] = item.textContent.trim();
  });

  let chart = null;
  const index = new Map(); // unit id -> {unit, parent, children, depth, headTitle, text}
  let rootId = null;
  let focusedId = null; // the unit the view is about: kept in ?enhed=
  let query = "";
  let matches = [];
  let matchPosition = -1;
  let expansionBeforeSearch = null;
  let refocusId = null; // give keyboard focus back to this card once the chart has redrawn
  let visibleNodeIds = new Set();

  // ------------------------------------------------------------------ text

  function label(name, values) {
    const key = "label" + name.replace(/(^|-)([a-z])/g, (_, __, letter) => letter.toUpperCase());
    let text = app.dataset[key] || "";
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
   * ("Centerchef, Center for Job og Ydelser" on that centre's card reads "Centerchef"). */
  function shortHeadTitle(unit) {
    const title = (english && unit.headTitleEn) || unit.headTitle;
    const name = unitName(unit);
    if (!title || !name) {
      return title;
    }
    const repeated = new RegExp("(,\\s*|\\s+(?:of the|for|af|i|of)\\s+)" + escapeRegExp(name), "i");
    const shortened = title.replace(repeated, "").trim();
    return shortened || title;
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

  // ------------------------------------------------------------------ data

  function buildIndex(units) {
    units.forEach((unit) => {
      index.set(unit.id, { unit, parent: null, children: [], depth: 0, text: "", headTitle: null });
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
      const entry = { unit, parent: null, children: roots, depth: -1, text: "", headTitle: null };
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
      entry.text = normalise(
        [unit.name, unit.nameEn, unit.headTitle, unit.headTitleEn, unit.holder].filter(Boolean).join("\n"),
      );
    });
    return units;
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
    if (unit.id === focusedId) {
      classes.push("is-focused");
    }
    const ariaLabel = [name, kind, headLabel, count, unit._highlighted ? label("match") : ""]
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
    const title = unit.virtual
      ? '<span class="org-card-name">' + escapeHtml(name) + "</span>"
      : '<a class="org-card-name" tabindex="-1" href="' + escapeHtml(unitUrl(unit.id)) + '">' + escapeHtml(name) + "</a>";
    return (
      "<div " + attributes.join(" ") + ">" +
      (kind ? '<span class="org-card-kind">' + escapeHtml(kind) + "</span>" : "") +
      title +
      (head ? '<span class="org-card-head">' + head + "</span>" : "") +
      (count ? '<span class="org-card-count">' + escapeHtml(count) + "</span>" : "") +
      "</div>"
    );
  }

  function buttonHtml({ node }) {
    const count = node.data._directSubordinatesPaging || node.data._directSubordinates || 0;
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

  /** The box around the cards in chart coordinates, in whichever layout direction the chart is drawn. */
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

  /** Fit the visible chart into the view, never enlarging it beyond its natural size. With `minScale`, a chart
   * too large to read at that scale is shown from the top, centred on its root, instead of shrunk further. */
  function fitView(animate, minScale) {
    const { svgWidth, svgHeight } = state();
    const nodes = visibleNodes();
    const box = bounds(nodes);
    const margin = 32;
    const fitted = Math.min(
      1,
      (svgWidth - 2 * margin) / Math.max(1, box.x1 - box.x0),
      (svgHeight - 2 * margin) / Math.max(1, box.y1 - box.y0),
    );
    let transform;
    if (minScale && fitted < minScale) {
      transform = d3.zoomIdentity
        .translate(svgWidth / 2, margin)
        .scale(minScale)
        .translate(-nodes[0].x, -box.y0);
    } else {
      transform = d3.zoomIdentity
        .translate(svgWidth / 2, svgHeight / 2)
        .scale(fitted)
        .translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2);
    }
    moveZoom(transform, animate);
  }

  /** Put a unit's card in the middle of the view, zoomed in far enough to read it. */
  function centreOn(id, animate) {
    const node = visibleNode(id);
    if (!node) {
      return;
    }
    const { svgWidth, svgHeight, lastTransform } = state();
    const scale = Math.max(lastTransform.k, READABLE_SCALE);
    const transform = d3.zoomIdentity
      .translate(svgWidth / 2, svgHeight / 2)
      .scale(scale)
      .translate(-node.x, -(node.y + node.height / 2));
    moveZoom(transform, animate);
  }

  function isInView(id) {
    const node = visibleNode(id);
    if (!node) {
      return false;
    }
    const { svgWidth, svgHeight, lastTransform: t } = state();
    const left = t.x + t.k * (node.x - node.width / 2);
    const right = t.x + t.k * (node.x + node.width / 2);
    const top = t.y + t.k * node.y;
    const bottom = t.y + t.k * (node.y + node.height);
    return t.k >= READABLE_SCALE && left >= 0 && top >= 0 && right <= svgWidth && bottom <= svgHeight;
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
    chart.duration(animate ? DURATION : 0);
    chart.render();
    chart.duration(DURATION);
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
      card.tabIndex = card.dataset.unitId === stop ? 0 : -1;
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

  // ------------------------------------------------------------------ search

  function findMatches(text) {
    const terms = normalise(text).split(/\s+/).filter(Boolean);
    if (!terms.length) {
      return [];
    }
    const result = [];
    index.forEach((entry) => {
      if (!entry.unit.virtual && terms.every((term) => entry.text.includes(term))) {
        result.push(entry);
      }
    });
    return result;
  }

  function announce() {
    if (!query) {
      statusLine.textContent = "";
    } else if (!matches.length) {
      statusLine.textContent = label("found-none");
    } else if (matches.length > MAX_HIGHLIGHTS) {
      statusLine.textContent = label("found-capped", { count: matches.length, shown: MAX_HIGHLIGHTS });
    } else {
      statusLine.textContent = matches.length === 1 ? label("found-one") : label("found-other", { count: matches.length });
    }
  }

  /** Mark the units that match `text` and unfold the chart down to them; no redraw. */
  function applySearch(text) {
    query = text.trim();
    index.forEach((entry) => {
      entry.unit._highlighted = false;
    });
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
    matches = query ? findMatches(query) : [];
    matchPosition = matches.length ? 0 : -1;
    matches.slice(0, MAX_HIGHLIGHTS).forEach((entry) => {
      entry.unit._highlighted = true;
      showUnit(entry);
    });
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
    statusLine.textContent = label("match-position", {
      position: matchPosition + 1,
      count: matches.length,
      name: unitName(entry.unit),
    });
  }

  let searchTimer = null;

  function onSearchInput() {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      applySearch(searchInput.value);
      if (matches.length) {
        setFocused(matches[0].unit.id);
        redraw();
        centreOn(matches[0].unit.id, true);
      } else {
        redraw();
        updateUrl();
      }
    }, 250);
  }

  function onSearchKeydown(event) {
    if (event.key === "Enter") {
      event.preventDefault();
      window.clearTimeout(searchTimer);
      if (searchInput.value.trim() !== query) {
        applySearch(searchInput.value);
        showMatch(0);
        if (!matches.length) {
          redraw();
          updateUrl();
        }
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

  function openUnit(id, inNewTab) {
    if (!id || id === VIRTUAL_ROOT) {
      return;
    }
    setFocused(id); // so that Back returns to this unit
    if (inNewTab) {
      window.open(unitUrl(id), "_blank", "noopener");
    } else {
      window.location.assign(unitUrl(id));
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
        openUnit(id, false);
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

  function onCardClick(event) {
    const card = event.target.closest && event.target.closest(".org-card");
    if (!card || event.defaultPrevented) {
      return;
    }
    if (event.target.closest("a")) {
      setFocused(card.dataset.unitId); // the link itself navigates (and opens new tabs on Ctrl-click)
      return;
    }
    openUnit(card.dataset.unitId, event.ctrlKey || event.metaKey || event.button === 1);
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
        fitView(true, INITIAL_MIN_SCALE);
      }),
    "collapse-all": () =>
      whileBusy(() => {
        setDefaultExpansion(1);
        matches.slice(0, MAX_HIGHLIGHTS).forEach(showUnit);
        redraw();
        fitView(true, INITIAL_MIN_SCALE);
      }),
    "zoom-in": () => chart.zoomIn(),
    "zoom-out": () => chart.zoomOut(),
    fit: () => fitView(true),
    print: () => window.print(),
  };

  // ------------------------------------------------------------------ print

  let savedView = null;

  /** Print the visible chart readably: a municipality's tree is wide and shallow, so on paper it is drawn
   * from left to right, one unit a row (as tall as it needs, over several pages), and the SVG gets a viewBox around every
   * card so that it scales to the width of the page instead of the window. */
  function preparePrint() {
    if (!chart || savedView) {
      return;
    }
    const { svg, chart: zoomGroup, centerG } = state();
    svg.interrupt();
    savedView = {
      width: svg.attr("width"),
      height: svg.attr("height"),
      zoom: zoomGroup.attr("transform"),
      centre: centerG.attr("transform"),
    };
    chart.layout("left").compact(false).duration(0);
    chart.render();
    d3.timerFlush(); // the printout is laid out before the next frame: apply the new positions now
    d3.timerFlush();
    const box = bounds(visibleNodes());
    const margin = 24;
    zoomGroup.attr("transform", null);
    centerG.attr("transform", null);
    const viewBox = [box.x0 - margin, box.y0 - margin, box.x1 - box.x0 + 2 * margin, box.y1 - box.y0 + 2 * margin];
    svg
      .attr("viewBox", viewBox.join(" "))
      .attr("preserveAspectRatio", "xMinYMin meet")
      .attr("width", null)
      .attr("height", null)
      .style("aspect-ratio", viewBox[2] + " / " + viewBox[3])
      .style("max-width", viewBox[2] + "px");
    app.classList.add("is-printing");
  }

  function restoreAfterPrint() {
    if (!savedView) {
      return;
    }
    const { svg, chart: zoomGroup, centerG } = state();
    svg.attr("viewBox", null).attr("preserveAspectRatio", null).style("aspect-ratio", null).style("max-width", null);
    svg.attr("width", savedView.width).attr("height", savedView.height);
    chart.layout("top").compact(true).duration(0);
    chart.render();
    d3.timerFlush();
    chart.duration(DURATION);
    zoomGroup.attr("transform", savedView.zoom);
    centerG.attr("transform", savedView.centre);
    savedView = null;
    app.classList.remove("is-printing");
  }

  // ------------------------------------------------------------------ start

  function resize() {
    if (!chart) {
      return;
    }
    const width = container.clientWidth;
    const height = container.clientHeight;
    chart.svgWidth(width).svgHeight(height);
    const svg = container.querySelector("svg.svg-chart-container");
    if (svg && !savedView) {
      svg.setAttribute("width", width);
      svg.setAttribute("height", height);
    }
  }

  function restoreFromUrl(units) {
    const params = new URLSearchParams(window.location.search);
    setDefaultExpansion(DEFAULT_DEPTH);
    const text = params.get("q") || "";
    if (text.trim()) {
      searchInput.value = text;
      applySearch(text);
    }
    const requested = params.get("enhed");
    if (requested && index.has(requested)) {
      const entry = index.get(requested);
      showUnit(entry);
      entry.children.forEach(showUnit);
      focusedId = requested;
    } else if (matches.length) {
      focusedId = matches[0].unit.id;
    }
    return units;
  }

  function start(payload) {
    const units = restoreFromUrl(buildIndex(payload.units));
    container.textContent = "";
    chart = new d3.OrgChart();
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
      .nodeWidth(() => CARD_WIDTH)
      .nodeHeight(() => CARD_HEIGHT)
      .childrenMargin(() => 56)
      .siblingsMargin(() => 16)
      .neighbourMargin(() => 40)
      .compactMarginBetween(() => 18)
      .compactMarginPair(() => 40)
      .nodeButtonWidth(() => 48)
      .nodeButtonHeight(() => 24)
      .nodeButtonX(() => -24)
      .nodeButtonY(() => 3)
      .duration(0)
      .defaultFont("inherit")
      .nodeContent(cardHtml)
      .buttonContent(buttonHtml)
      .nodeUpdate(function () {
        d3.select(this).select(".node-rect").attr("stroke", "none");
      })
      .linkUpdate(function (node) {
        d3.select(this)
          .attr("stroke", node.data._highlighted ? "#b07d00" : "#8a96a3")
          .attr("stroke-width", node.data._highlighted ? 2.5 : 1.5);
      })
      .onNodeClick(() => {})
      .onExpandOrCollapse((node) => {
        // The library clears a collapsed unit's own flag; keep it so the unit stays in view on redraws.
        showUnit(index.get(node.data.id));
        setFocused(node.data.id);
      });

    performance.mark("orgchart:render-start");
    chart.render();
    if (focusedId && visibleNode(focusedId)) {
      centreOn(focusedId, false);
    } else {
      fitView(false, INITIAL_MIN_SCALE);
    }
    chart.duration(DURATION);
    performance.mark("orgchart:render-end");
    performance.measure("orgchart:render", "orgchart:render-start", "orgchart:render-end");
    performance.measure("orgchart:total", "orgchart:fetch-start", "orgchart:render-end");
    if (query) {
      announce();
    }
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
  searchInput.addEventListener("input", onSearchInput);
  searchInput.addEventListener("keydown", onSearchKeydown);
  app.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      if (chart) {
        actions[button.dataset.action]();
      }
    });
  });
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", preparePrint);
  window.addEventListener("afterprint", restoreAfterPrint);
  window.matchMedia("print").addEventListener("change", (event) => {
    if (event.matches) {
      preparePrint();
    } else {
      restoreAfterPrint();
    }
  });

  performance.mark("orgchart:fetch-start");
  fetch(app.dataset.treeUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then((payload) => {
      performance.mark("orgchart:data");
      performance.measure("orgchart:fetch", "orgchart:fetch-start", "orgchart:data");
      start(payload);
    })
    .catch((error) => {
      fail();
      console.error("org chart:", error);
    });
})();
