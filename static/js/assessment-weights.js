// The running sum of a scheme's weights, updated as the office types (the server checks it on save).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector('[data-testid="scheme-form"]');
  var out = document.getElementById("weight-sum");
  if (!form || !out) return;
  function update() {
    var total = 0;
    form.querySelectorAll('[data-testid="item-row"]').forEach(function (row) {
      var weight = row.querySelector("input[data-weight]");
      var drop = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      if (!weight || (drop && drop.checked)) return;
      var value = parseFloat(weight.value);
      if (!isNaN(value)) total += value;
    });
    out.textContent = String(Math.round(total * 100) / 100);
    out.classList.toggle("text-danger", Math.abs(total - 100) > 0.001);
    out.classList.toggle("text-success", Math.abs(total - 100) <= 0.001);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
