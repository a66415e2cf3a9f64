// Show-if conditions on the answer page: a question is shown while an earlier answer is one of the values.
// The server applies the same rule (hidden answers are dropped, hidden questions are not required).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("answer-form");
  if (!form) return;
  var dependants = Array.prototype.slice.call(document.querySelectorAll("[data-show-if]"));
  function chosen(code) {
    var out = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) out.push(el.value);
    });
    return out;
  }
  function refresh() {
    dependants.forEach(function (node) {
      var wanted = node.getAttribute("data-show-values").split(",");
      var source = document.getElementById("q-" + node.getAttribute("data-show-if"));
      var shown = (!source || !source.hidden) && chosen(node.getAttribute("data-show-if")).some(function (v) {
        return wanted.indexOf(v) >= 0;
      });
      node.hidden = !shown;
    });
  }
  form.addEventListener("change", refresh);
  refresh();
});
