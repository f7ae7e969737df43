/* Questionnaire pages: skip logic live (the server enforces it too), `none` choices that exclude the others,
   the running total of funding shares, and keeping typed answers in this browser until the server confirms
   the save (restored on reload after an error, an expired session or a lost connection). */
(function () {
  "use strict";

  var form = document.getElementById("questionnaire-form");
  var rulesElement = document.getElementById("questionnaire-rules");
  if (!form || !rulesElement) return;

  var rules = JSON.parse(rulesElement.textContent);
  var evaluate = window.ShelterConditions.evaluate;
  var isAbsent = window.ShelterConditions.isAbsent;
  var storageKey = form.getAttribute("data-storage-key");
  var SKIP_FIELDS = { csrf_token: true, version: true, original: true, save: true, "continue": true };

  function questions() {
    var list = [];
    rules.sections.forEach(function (section) {
      section.questions.forEach(function (q) { list.push({ q: q, section: section }); });
    });
    return list;
  }

  function checkedValues(name) {
    var nodes = form.querySelectorAll('input[name="' + name + '"]:checked');
    return Array.prototype.map.call(nodes, function (node) { return node.value; });
  }

  function subValues(code, toValue) {
    var result = {};
    Array.prototype.forEach.call(form.querySelectorAll('[name^="' + code + '-"]'), function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      var value = toValue(input.value);
      if (value !== null && value !== "") result[input.name.slice(code.length + 1)] = value;
    });
    return result;
  }

  function toInt(text) {
    if (text === "" || text === null || text === undefined) return null;
    var number = Number(text);
    return Number.isInteger(number) ? number : null;
  }

  function pageValue(q) {
    var code = q.code;
    var element = form.elements[code];
    switch (q.type) {
      case "bool":
        var b = checkedValues(code)[0];
        return b === undefined ? null : b === "true";
      case "multi":
        return checkedValues(code);
      case "int":
      case "money":
        return element ? toInt(element.value) : null;
      case "grid":
        return subValues(code, function (v) { return v; });
      case "shares":
        return subValues(code, toInt);
      default:
        if (!element) return null;
        if (element.length !== undefined && element.tagName !== "SELECT") {
          var chosen = checkedValues(code)[0];
          return chosen === undefined ? null : chosen;
        }
        return element.value === "" ? null : element.value.trim();
    }
  }

  function onPage(code) {
    return document.getElementById("q-" + code) !== null && form.querySelector('[name="' + code + '"], [name^="' + code + '-"]') !== null;
  }

  function applyVisibility() {
    var effective = {};
    var sectionShown = {};
    questions().forEach(function (item) {
      var section = item.section;
      if (!(section.code in sectionShown)) {
        sectionShown[section.code] = !section.show_if || evaluate(section.show_if, effective, rules.context) === true;
      }
      var q = item.q;
      var shown = sectionShown[section.code] && (!q.show_if || evaluate(q.show_if, effective, rules.context) === true);
      var value = onPage(q.code) ? pageValue(q) : rules.answers[q.code];
      if (shown && !isAbsent(value)) effective[q.code] = value;
      var block = document.getElementById("q-" + q.code);
      if (block) block.hidden = !shown;
    });
  }

  function enforceExclusive(event) {
    var input = event.target;
    if (input.type !== "checkbox") return;
    var item = questions().filter(function (it) { return it.q.code === input.name; })[0];
    if (!item || !item.q.exclusive.length) return;
    var exclusive = item.q.exclusive;
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + input.name + '"]'), function (other) {
      if (other === input || !input.checked) return;
      var clash = exclusive.indexOf(input.value) !== -1 || exclusive.indexOf(other.value) !== -1;
      if (clash) other.checked = false;
    });
  }

  function updateShareTotals() {
    Array.prototype.forEach.call(form.querySelectorAll(".shares"), function (box) {
      var total = 0;
      Array.prototype.forEach.call(box.querySelectorAll("input"), function (input) { total += toInt(input.value) || 0; });
      var label = box.querySelector(".share-total");
      if (label) {
        label.textContent = "Σ " + total + "%";
        label.classList.toggle("off", total < 99 || total > 101);
      }
    });
  }

  function serialise() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP_FIELDS[element.name] || element.type === "submit" || element.type === "button") return;
      if ((element.type === "radio" || element.type === "checkbox")) {
        if (!(element.name in values)) values[element.name] = [];
        if (element.checked) values[element.name].push(element.value);
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function restore(values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values) || SKIP_FIELDS[element.name]) return;
      var value = values[element.name];
      if (element.type === "radio" || element.type === "checkbox") element.checked = value.indexOf(element.value) !== -1;
      else element.value = value;
    });
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function keep() {
    var store = storage();
    if (!store || !storageKey) return;
    var record = { values: serialise(), at: new Date().toISOString() };
    if (form.elements.version) record.version = form.elements.version.value;
    if (form.elements.original) record.original = form.elements.original.value;
    try { store.setItem(storageKey, JSON.stringify(record)); } catch (error) { /* storage full: nothing to do */ }
  }

  function forgetConfirmedSaves() {
    var store = storage();
    if (!store || !storageKey) return;
    if (form.hasAttribute("data-saved")) store.removeItem(storageKey);
    var saved = new URLSearchParams(window.location.search).get("saved");
    if (saved) store.removeItem(storageKey.replace(/:[^:]+$/, ":" + saved));
  }

  function restoreUnsaved() {
    var store = storage();
    var raw = store && storageKey ? store.getItem(storageKey) : null;
    if (!raw) return;
    var record;
    try { record = JSON.parse(raw); } catch (error) { store.removeItem(storageKey); return; }
    if (JSON.stringify(record.values) === JSON.stringify(serialise())) return;
    restore(record.values);
    // Keep the version the typed answers were based on, so the server still detects a conflicting save.
    if (record.version && form.elements.version) form.elements.version.value = record.version;
    if (record.original !== undefined && form.elements.original) form.elements.original.value = record.original;
    var notice = document.getElementById("restored-notice");
    if (notice) notice.hidden = false;
  }

  function discardRestored() {
    var store = storage();
    if (store) store.removeItem(storageKey);
    window.location.reload();
  }

  function refuseOffline(event) {
    keep();
    if (navigator.onLine === false) {
      event.preventDefault();
      var notice = document.getElementById("offline-notice");
      if (notice) notice.hidden = false;
    }
  }

  function onChange(event) {
    enforceExclusive(event);
    applyVisibility();
    updateShareTotals();
    keep();
  }

  forgetConfirmedSaves();
  restoreUnsaved();
  applyVisibility();
  updateShareTotals();
  form.addEventListener("change", onChange);
  form.addEventListener("input", onChange);
  form.addEventListener("submit", refuseOffline);
  var discard = document.getElementById("discard-restored");
  if (discard) discard.addEventListener("click", discardRestored);
})();
