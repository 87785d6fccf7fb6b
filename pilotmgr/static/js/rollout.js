// Rollout pages, without changing what works without script: a "tick all" box for the board
// and the plan's preview, and the plan form showing only the unit lists its level needs.
(function () {
  "use strict";

  document.querySelectorAll("[data-tick-all]").forEach(function (box) {
    var name = box.getAttribute("data-tick-all");
    var input = box.matches("input") ? box : box.querySelector("input");
    var boxes = function () {
      return Array.prototype.filter.call(
        document.querySelectorAll('input[type=checkbox][name="' + name + '"]'),
        function (b) { return !b.disabled; }
      );
    };
    if (!boxes().length) return;
    box.hidden = false;
    var sync = function () {
      var all = boxes();
      var ticked = all.filter(function (b) { return b.checked; }).length;
      input.checked = ticked === all.length;
      input.indeterminate = ticked > 0 && ticked < all.length;
    };
    input.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = input.checked; });
      sync();
    });
    boxes().forEach(function (b) { b.addEventListener("change", sync); });
    sync();
  });

  var plan = document.getElementById("plan-form");
  if (plan) {
    var show = function () {
      var chosen = plan.querySelector('input[name="level"]:checked');
      var level = chosen ? chosen.value : "";
      plan.querySelectorAll("[data-plan-for]").forEach(function (part) {
        part.hidden = part.getAttribute("data-plan-for").split(" ").indexOf(level) < 0;
      });
    };
    plan.addEventListener("change", show);
    show();
  }
})();
