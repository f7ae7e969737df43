/* The browser's twin of shelter_monitor/questionnaire/conditions.py: three-valued (Kleene) evaluation of the
   definition's conditions. true, false, or null (unknown). tests/questionnaire/condition_cases.json runs
   through both. */
(function (root) {
  "use strict";

  var OPERAND_KEYS = ["q", "sum", "total", "count", "ctx", "shares", "ratio"];
  var COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge", "between", "in", "has", "has_any", "has_all", "answered"];

  function isAbsent(value) {
    if (value === null || value === undefined || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") return Object.keys(value).length === 0;
    return false;
  }

  function isNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  function isOperand(side) {
    return side !== null && typeof side === "object" && !Array.isArray(side) &&
      OPERAND_KEYS.some(function (key) { return key in side; });
  }

  function operandValue(operand, answers, context) {
    if ("q" in operand) {
      var value = answers[operand.q];
      return isAbsent(value) ? null : value;
    }
    if ("ctx" in operand) {
      var ctx = context[operand.ctx];
      return ctx === undefined ? null : ctx;
    }
    if ("sum" in operand) {
      var total = 0;
      for (var i = 0; i < operand.sum.length; i++) {
        var part = answers[operand.sum[i]];
        if (!isNumber(part)) return null;
        total += part;
      }
      return total;
    }
    if ("total" in operand) {
      var shares = answers[operand.total];
      if (!shares || typeof shares !== "object" || Array.isArray(shares) || Object.keys(shares).length === 0) return null;
      return Object.keys(shares).reduce(function (acc, key) {
        return acc + (isNumber(shares[key]) ? shares[key] : 0);
      }, 0);
    }
    if ("count" in operand) {
      var chosen = answers[operand.count];
      return Array.isArray(chosen) && chosen.length ? chosen.length : null;
    }
    if ("shares" in operand) {
      // A source missing from a shares answer has no share: it counts 0, unlike a missing answer.
      var given = answers[operand.shares];
      if (!given || typeof given !== "object" || Array.isArray(given) || Object.keys(given).length === 0) return null;
      return operand.keys.reduce(function (acc, key) {
        return acc + (isNumber(given[key]) ? given[key] : 0);
      }, 0);
    }
    if ("ratio" in operand) {
      var top = answers[operand.ratio[0]];
      var bottom = answers[operand.ratio[1]];
      if (!isNumber(top) || !isNumber(bottom) || bottom === 0) return null;
      return top / bottom;
    }
    throw new Error("no operand in " + JSON.stringify(operand));
  }

  function resolve(side, answers, context) {
    return isOperand(side) ? operandValue(side, answers, context) : side;
  }

  function ordered(left, right, compare) {
    if (left === null || right === null) return null;
    if ((typeof left === "string") !== (typeof right === "string")) return null;
    return compare(left, right);
  }

  function deepEqual(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function kleeneAll(results) {
    if (results.some(function (r) { return r === false; })) return false;
    return results.every(function (r) { return r === true; }) ? true : null;
  }

  function kleeneAny(results) {
    if (results.some(function (r) { return r === true; })) return true;
    return results.every(function (r) { return r === false; }) ? false : null;
  }

  function compare(op, left, rawRight, answers, context) {
    if (op === "answered") return (left !== null) === Boolean(rawRight);
    if (left === null) return null;
    if (op === "between") {
      var low = resolve(rawRight[0], answers, context);
      var high = resolve(rawRight[1], answers, context);
      return kleeneAll([ordered(left, low, function (a, b) { return a >= b; }),
                        ordered(left, high, function (a, b) { return a <= b; })]);
    }
    var right = resolve(rawRight, answers, context);
    if (op === "has" || op === "has_any" || op === "has_all") {
      if (!Array.isArray(left)) return null;
      var wanted = op === "has" ? [right] : right;
      var found = wanted.map(function (choice) { return left.indexOf(choice) !== -1; });
      return op === "has_all" ? found.every(Boolean) : found.some(Boolean);
    }
    if (right === null) return null;
    switch (op) {
      case "eq": return deepEqual(left, right);
      case "ne": return !deepEqual(left, right);
      case "in": return right.some(function (item) { return deepEqual(item, left); });
      case "lt": return ordered(left, right, function (a, b) { return a < b; });
      case "le": return ordered(left, right, function (a, b) { return a <= b; });
      case "gt": return ordered(left, right, function (a, b) { return a > b; });
      case "ge": return ordered(left, right, function (a, b) { return a >= b; });
    }
    throw new Error("unknown operator " + op);
  }

  function evaluate(condition, answers, context) {
    context = context || {};
    if ("all" in condition) return kleeneAll(condition.all.map(function (c) { return evaluate(c, answers, context); }));
    if ("any" in condition) return kleeneAny(condition.any.map(function (c) { return evaluate(c, answers, context); }));
    if ("not" in condition) {
      var result = evaluate(condition.not, answers, context);
      return result === null ? null : !result;
    }
    var op = COMPARISONS.filter(function (key) { return key in condition; })[0];
    return compare(op, operandValue(condition, answers, context), condition[op], answers, context);
  }

  var api = { evaluate: evaluate, isAbsent: isAbsent };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ShelterConditions = api;
})(this);
