/* The income entry form shows the total and the bracket as the user types. The server decides:
   this only previews, with the same bracket bounds (from #income-brackets) and exact cents. */
(function () {
  "use strict";
  const form = document.querySelector("form[data-income-form]");
  const config = document.getElementById("income-brackets");
  if (!form || !config) return;
  const brackets = JSON.parse(config.textContent);
  const inputs = Array.from(form.querySelectorAll("input[data-amount]"));
  const totalOut = document.getElementById("live-total");
  const bracketOut = document.getElementById("live-bracket");
  const hint = document.getElementById("live-hint");
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 2, maximumFractionDigits: 2,
  });

  // Cents of a typed amount: "" is 0; null when it is not a plain amount with at most two decimals.
  function cents(text) {
    const value = text.trim().replace(/[,，\s]/g, "");
    if (value === "") return 0;
    const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(value);
    if (!match) return null;
    return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
  }

  function bracketOf(total) {
    for (const bracket of brackets.brackets) {
      if (total >= bracket.lower_cents) return bracket;
    }
    return brackets.empty;
  }

  function update() {
    let total = 0;
    let valid = true;
    for (const input of inputs) {
      const value = cents(input.value);
      input.classList.toggle("border-warning", value === null);
      if (value === null) valid = false;
      else total += value;
    }
    if (!valid) {
      totalOut.textContent = "—";
      bracketOut.textContent = "—";
      bracketOut.dataset.bracket = "";
      hint.textContent = brackets.invalid;
      return;
    }
    const bracket = bracketOf(total);
    totalOut.textContent = numberFormat.format(total / 100);
    bracketOut.textContent = bracket.label;
    bracketOut.dataset.bracket = bracket.code;
    hint.textContent = "";
  }

  form.addEventListener("input", update);
  update();
})();
