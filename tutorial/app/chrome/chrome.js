// German chrome in the learner's browser. tutorial/app/chrome/script.py sends this function
// expression and calls it with its configuration (tables and selectors from the Python modules beside
// it). It sets lang="de" on the html element and, as Streamlit draws its English UI, translates the
// known strings (text nodes and the aria-label/title/placeholder/alt attributes, also inside the shadow
// root of an isolated component such as the drawing canvas), shows slider values with a decimal comma
// and keeps the canvas toolbar visible on touch screens. It only changes what it finds; it patches no
// browser API. Never write a "<" directly before a letter, "/" or "!" here: st.html's sanitizer would
// drop the whole script (tests/test_german_chrome.py checks it).
(function tutorialChrome(config) {
  document.documentElement.lang = "de";
  if (window.__tutorialChrome) { window.__tutorialChrome.scan(document.body); return; }
  const EXACT = config.exact;
  const PATTERNS = config.patterns.map(([re, rep]) => [new RegExp(re), rep]);
  const ATTRS = config.attributes;
  const DECIMAL = /^(−|-)?\d+\.\d+$/;

  function german(value) {
    const text = value.trim();
    if (!text) return null;
    // (a function as replacement: a "$" in a label is not a replacement pattern)
    if (Object.prototype.hasOwnProperty.call(EXACT, text)) return value.replace(text, () => EXACT[text]);
    for (const [re, rep] of PATTERNS) {
      if (re.test(text)) { const german = text.replace(re, rep); return value.replace(text, () => german); }
    }
    return null;
  }
  function skip(el) {   // code, charts, the canvas and what the learner types stay untouched
    return el.namespaceURI === "http://www.w3.org/2000/svg" || /^(PRE|CODE|SCRIPT|STYLE|TEXTAREA|CANVAS)$/.test(el.tagName)
      || (el.dataset && el.dataset.testid === "stIconMaterial");
  }
  function fixText(node) {
    const value = node.nodeValue;
    if (!value || value.length > 400) return;
    let result = german(value);
    const parent = node.parentElement;
    if (result === null && DECIMAL.test(value.trim()) && parent && parent.closest(config.decimalComma)) {
      result = value.replace(".", ",");
    }
    if (result !== null && result !== value) node.nodeValue = result;
  }
  function fixElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const result = german(value);
      if (result !== null && result !== value) el.setAttribute(name, result);
    }
    if (el.shadowRoot) watch(el.shadowRoot);
    else if (el.matches(config.shadowHost)) awaitShadow(el, 0);
    if (el.classList.contains(config.canvas.toolbar)) styleCanvas(el.getRootNode());
  }
  // An isolated component's host element attaches its (open) shadow root a moment after it appears in
  // the page; look again for a few seconds instead of intercepting the browser's shadow-root API.
  function awaitShadow(host, tries) {
    if (host.shadowRoot) { watch(host.shadowRoot); return; }
    if (tries < 100 && host.isConnected) setTimeout(() => awaitShadow(host, tries + 1), 50);
  }
  function styleCanvas(root) {
    if (!(root instanceof ShadowRoot) || root.querySelector("style." + config.canvas.styleClass)) return;
    const style = document.createElement("style");
    style.className = config.canvas.styleClass;
    style.textContent = config.canvas.css;
    root.appendChild(style);
  }
  function scan(node) {
    if (!node) return;
    if (node.nodeType === 3) { fixText(node); return; }
    if (node.nodeType === 1) { if (skip(node)) return; fixElement(node); }
    else if (node.nodeType !== 11 && node.nodeType !== 9) return;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === 1 && skip(n)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) fixText(n); else fixElement(n);
    }
  }
  function onMutations(records) {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(scan);
      else if (record.type === "characterData") fixText(record.target);
      else if (record.type === "attributes" && record.target.nodeType === 1 && !skip(record.target)) fixElement(record.target);
    }
  }
  const watched = new WeakSet();
  function watch(root) {
    if (watched.has(root)) return;
    watched.add(root);
    new MutationObserver(onMutations).observe(root, { subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ATTRS });
    scan(root);
  }
  window.__tutorialChrome = { scan, german };
  watch(document.body);
})
